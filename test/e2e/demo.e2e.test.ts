import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchChromium, networkQuiet } from './harness'
import type { TestBrowser } from './harness'
import { startDemo } from '../../demo/server.mjs'

interface Demo {
  url: string
  trackerUrl: string
  trackerRequests: { method: string; path: string }[]
  close(): Promise<void>
}

const TAG_FILES = ['/insights/insights.js', '/ads/pixelwave.js', '/ads/px.gif', '/video/embed.html', '/partners/reviews.html']
const DEMO_TAGS = ['insights', 'pixelwave', 'pixelwave-pixel', 'kiln-video', 'verifeo-reviews']

let browser: TestBrowser
let demo: Demo
let dataDir: string
let context: BrowserContext
let page: Page
let cspViolations: string[]

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minopio-demo-'))
  demo = await startDemo({ port: 0, trackerPort: 0, dataFile: join(dataDir, 'consent.sqlite') })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await demo?.close()
  rmSync(dataDir, { recursive: true, force: true })
})
beforeEach(async () => {
  demo.trackerRequests.length = 0
  context = await browser.newContext()
  page = await context.newPage()
  cspViolations = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
  })
})
afterEach(async () => {
  await context.close()
})

const trackerPaths = () => demo.trackerRequests.map((r) => r.path)
const visit = async () => {
  await page.goto(demo.url)
  await page.evaluate(() => window.MinopioConsent.ready)
  await networkQuiet(page)
}
const tagStatus = (tag: string) => page.getAttribute(`#tags [data-tag="${tag}"]`, 'data-status')
const consentEvents = async (consentId: string) => {
  const res = await fetch(`${demo.url}api/consent/${consentId}`)
  const body = res.ok ? await res.json() : []
  return (Array.isArray(body) ? body : body.events ?? []) as { action: string; eventId: string }[]
}

describe('the demo site', () => {
  it('shows the banner on a first visit and sends nothing to the third-party port', async () => {
    await visit()
    // The host itself has no box (its content is fixed-positioned in the shadow root): wait for the banner's buttons.
    await page.waitForSelector('#minopio-consent[data-view="banner"] [data-action="accept-all"]')
    await page.waitForSelector('#minopio-consent[data-view="banner"] [data-action="reject-all"]')
    expect(trackerPaths()).toEqual([])
    expect(await tagStatus('insights')).toBe('blocked')
    expect(await tagStatus('pixelwave')).toBe('blocked') // injected by site.js with createElement: held by a rule
    expect(await page.textContent('#tags [data-tag="pixelwave"]')).toContain('rule')
    expect(cspViolations).toEqual([])
  })

  it('runs every tag after "Accept all", stores the event in the consent log, and runs them again on the next visit', async () => {
    await visit()
    await page.click('#minopio-consent [data-action="accept-all"]')
    for (const tag of DEMO_TAGS) await page.waitForSelector(`#tags [data-tag="${tag}"][data-status="ran"]`)
    expect(trackerPaths()).toEqual(expect.arrayContaining(TAG_FILES))
    const cookies = (await context.cookies()).map((c) => c.name)
    expect(cookies).toEqual(expect.arrayContaining(['minopio_consent', '_mi_id', '_pw_id']))

    const { consentId, change } = await page.evaluate(() => window.MinopioConsent.get())
    const eventId = change?.eventId
    await expect.poll(() => consentEvents(consentId!)).toEqual([expect.objectContaining({ action: 'accept_all', eventId })])

    demo.trackerRequests.length = 0
    await visit()
    for (const tag of DEMO_TAGS) await page.waitForSelector(`#tags [data-tag="${tag}"][data-status="ran"]`)
    expect(await page.evaluate(() => document.getElementById('minopio-consent')?.getAttribute('data-view') ?? null)).toBeNull()
    expect(trackerPaths()).toEqual(expect.arrayContaining(TAG_FILES))
    expect(cspViolations).toEqual([])
  })

  it('runs nothing after "Reject all", then or on the next visit, and logs the refusal', async () => {
    await visit()
    await page.click('#minopio-consent [data-action="reject-all"]')
    await page.waitForFunction(() => window.MinopioConsent.get().decided)
    const { consentId } = await page.evaluate(() => window.MinopioConsent.get())
    await expect.poll(() => consentEvents(consentId!)).toEqual([expect.objectContaining({ action: 'reject_all' })])

    await visit()
    expect(await page.evaluate(() => window.MinopioConsent.get().categories)).toEqual({
      necessary: true, analytics: false, marketing: false, partners: false,
    })
    for (const tag of ['insights', 'pixelwave', 'kiln-video', 'verifeo-reviews']) expect(await tagStatus(tag)).toBe('blocked')
    expect(await page.evaluate(() => window.minopioDemoRan ?? [])).toEqual([])
    expect(trackerPaths()).toEqual([])
    expect((await context.cookies()).map((c) => c.name)).toEqual(['minopio_consent'])
    expect(cspViolations).toEqual([])
  })

  it('"Withdraw consent" after accepting deletes the analytics and ad cookies and reloads into a page where nothing runs', async () => {
    await visit()
    await page.click('#minopio-consent [data-action="accept-all"]')
    await page.waitForSelector('#tags [data-tag="pixelwave"][data-status="ran"]')
    await page.waitForSelector('#tags [data-tag="insights"][data-status="ran"]')
    await networkQuiet(page)
    demo.trackerRequests.length = 0
    const reloaded = page.waitForEvent('load')
    await page.click('#withdraw')
    await reloaded // tags of the revoked categories ran in this page view: reloadOnRevoke "auto" reloads
    await page.evaluate(() => window.MinopioConsent.ready)
    await networkQuiet(page)
    expect((await context.cookies()).map((c) => c.name)).toEqual(['minopio_consent'])
    expect(await page.evaluate(() => window.MinopioConsent.get().categories.marketing)).toBe(false)
    expect(await page.evaluate(() => window.minopioDemoRan ?? [])).toEqual([])
    expect(trackerPaths()).toEqual([])
  })
})

declare global {
  interface Window {
    minopioDemoRan?: { tag: string; at: number }[]
  }
}
