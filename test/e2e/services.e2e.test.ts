import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchChromium, ROOT, networkQuiet } from './harness'
import type { TestBrowser } from './harness'
import { settled } from './ui-page'
import { startDemo } from '../../demo/server.mjs'

interface Demo {
  url: string
  trackerRequests: { method: string; path: string }[]
  close(): Promise<void>
}
interface LoggedEvent {
  action: string
  categories: Record<string, boolean>
  services?: Record<string, boolean>
}

let browser: TestBrowser
let demo: Demo
let dataDir: string
let context: BrowserContext
let page: Page

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minopio-services-'))
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
const events = async (consentId: string) => {
  const res = await fetch(`${demo.url}api/consent/${consentId}`)
  const body = res.ok ? await res.json() : []
  return (Array.isArray(body) ? body : body.events ?? []) as LoggedEvent[]
}
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js')
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const violations = async (selector: string) => {
  await settled(page)
  await page.addScriptTag({ path: AXE })
  return page.evaluate(async ([tags, selector]) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe
    const result = await axe.run({ include: [[selector]] }, { runOnly: { type: 'tag', values: tags } })
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)
  }, [WCAG_AA, selector] as const)
}
const ONLY_KILN = { 'minopio-insights': false, pixelwave: false, 'kiln-films': true, verifeo: false }

describe('consent per service on the demo', () => {
  it('Reject all, then "Allow Kiln Films" on the video: the video loads, nothing of Pixelwave, logged as kiln-films only, and so after reload', async () => {
    await visit()
    await page.click('#minopio-consent [data-action="reject-all"]')
    await page.waitForFunction(() => window.MinopioConsent.get().decided)

    const video = page.locator('[data-minopio-placeholder]').filter({ hasText: 'Kiln Films' })
    expect(await video.locator('p').textContent()).toBe('Kiln Films video — Kiln Films sets cookies to count views.')
    expect(await video.locator('[data-action="load-once"]').textContent()).toBe('Show this once')
    await video.locator('[data-action="allow"]').click()
    await page.waitForSelector('#tags [data-tag="kiln-video"][data-status="ran"]')
    await networkQuiet(page)
    expect(trackerPaths()).toContain('/video/embed.html')
    expect(trackerPaths().filter((p) => p.startsWith('/ads/'))).toEqual([])

    const state = await page.evaluate(() => window.MinopioConsent.get())
    expect(state.services).toEqual(ONLY_KILN)
    expect(state.categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
    await expect.poll(async () => (await events(state.consentId!)).length).toBe(2)
    const [rejected, allowed] = await events(state.consentId!)
    expect(rejected).toMatchObject({ action: 'reject_all', services: { 'kiln-films': false, pixelwave: false } })
    expect(allowed).toMatchObject({ action: 'custom', categories: { marketing: false }, services: ONLY_KILN })

    demo.trackerRequests.length = 0
    await visit()
    await page.waitForSelector('#tags [data-tag="kiln-video"][data-status="ran"]')
    await networkQuiet(page)
    expect(await page.evaluate(() => window.MinopioConsent.get().services)).toEqual(ONLY_KILN)
    expect(await page.locator('[data-minopio-placeholder]').filter({ hasText: 'Kiln Films' }).count()).toBe(0)
    expect(trackerPaths()).toContain('/video/embed.html')
    expect(trackerPaths().filter((p) => p.startsWith('/ads/') || p.startsWith('/insights/') || p.startsWith('/partners/'))).toEqual([])
    expect(await page.getAttribute('#tags [data-tag="pixelwave"]', 'data-status')).toBe('blocked')
  })

  it('shows Pixelwave and Kiln Films as switches under Marketing, and the category as mixed after allowing one of them', async () => {
    await visit()
    await page.click('#minopio-consent [data-action="reject-all"]')
    await page.locator('[data-minopio-placeholder]').filter({ hasText: 'Kiln Films' }).locator('[data-action="allow"]').click()
    await page.waitForFunction(() => window.MinopioConsent.get().services['kiln-films'])
    await page.click('[data-minopio-open] >> nth=0')
    const marketing = page.locator('#minopio-consent input[data-category="marketing"]')
    await marketing.waitFor()
    expect(await marketing.evaluate((el: HTMLInputElement) => el.indeterminate)).toBe(true)
    const toggle = page.locator('#minopio-consent button[aria-controls="s-marketing"]')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    expect(await page.locator('#minopio-consent input[data-service="kiln-films"]').isChecked()).toBe(true)
    expect(await page.locator('#minopio-consent input[data-service="pixelwave"]').isChecked()).toBe(false)
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no axe violation in the service placeholder and in the preferences with services open and a mixed category (${colorScheme})`, async () => {
      await context.close()
      // The demo's strict CSP would refuse axe's injected script.
      context = await browser.newContext({ colorScheme, bypassCSP: true })
      page = await context.newPage()
      await visit()
      await page.click('#minopio-consent [data-action="reject-all"]')
      await page.waitForFunction(() => window.MinopioConsent.get().decided)
      expect(await violations('[data-minopio-placeholder]')).toEqual([])
      await page.evaluate(() => window.MinopioConsent.set({ 'kiln-films': true }))
      await page.click('[data-minopio-open] >> nth=0')
      await page.locator('#minopio-consent input[data-category="marketing"]').waitFor()
      for (const toggle of await page.locator('#minopio-consent button[aria-controls]').all()) await toggle.click()
      expect(await page.locator('#minopio-consent input[data-category="marketing"]').evaluate((el: HTMLInputElement) => el.indeterminate)).toBe(true)
      expect(await violations('#minopio-consent')).toEqual([])
    })
  }
})
