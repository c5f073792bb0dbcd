import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { launchChromium, sitePage, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'

let chrome: TestBrowser
let site: TestServer
let context: BrowserContext

beforeAll(async () => {
  chrome = await launchChromium()
  site = await startServer()
  site.route('/', sitePage(`{ policyVersion: '2024-05' }`, '<h1>Minopio</h1>'))
  // A marketing tag that notes, when it runs, the cookies and the consent-log outbox (its localStorage keys).
  site.route('/reads-cookie', sitePage(`{ policyVersion: '2024-05', endpoint: '/api/consent' }`,
    '<script type="text/plain" data-consent="marketing">window.atRun = { cookie: document.cookie, outbox: Object.keys(localStorage) }</script>'))
  site.route('/api/consent', { status: 503, body: '' }) // down: the event stays in the outbox
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
})
afterEach(async () => {
  await context?.close()
})

const consentCookie = async () => (await context.cookies()).find((c) => c.name === 'minopio_consent')

describe('the encrypted consent cookie in Chromium', () => {
  it('is written before a released tag runs: a tag that reads document.cookie finds the decision, and its log event in the outbox', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/reads-cookie'))
    const eventId = await page.evaluate(async () => (await window.MinopioConsent.acceptAll()).change!.eventId)
    const seen = (await (await page.waitForFunction(() => (window as Window & { atRun?: { cookie: string; outbox: string[] } }).atRun)).jsonValue())!
    expect(seen.cookie).toMatch(/(^|; )minopio_consent=1\./)
    expect(seen.outbox).toContain(`minopio_consent:outbox:${eventId}`)
  })

  it('keeps a decision across a real reload with the IndexedDB device key', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    const decided = await page.evaluate(async () => {
      await window.MinopioConsent.ready
      const state = await window.MinopioConsent.set({ analytics: true })
      return state.consentId
    })
    await page.reload()
    const after = await page.evaluate(async () => (await window.MinopioConsent.ready))
    expect(after.decided).toBe(true)
    expect(after.consentId).toBe(decided)
    expect(after.categories).toEqual({ necessary: true, analytics: true, marketing: false, partners: false })
    const keys = await page.evaluate(() => new Promise<number>((resolve) => {
      const req = indexedDB.open('minopio-consent')
      req.onsuccess = () => req.result.transaction('keys').objectStore('keys').count().onsuccess = (e) => resolve((e.target as IDBRequest<number>).result)
    }))
    expect(keys).toBe(1)
  })

  it('stores nothing readable: no consent id, no category name, and the cookie attributes of DESIGN §5', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    const id = await page.evaluate(async () => (await window.MinopioConsent.acceptAll()).consentId)
    const cookie = (await consentCookie())!
    expect(cookie.value).toMatch(/^1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    for (const plain of [id!, 'analytics', 'marketing', 'partners', 'necessary', '2024-05']) expect(cookie.value).not.toContain(plain)
    expect(atob(cookie.value.split('.')[2].replace(/-/g, '+').replace(/_/g, '/'))).not.toMatch(/marketing|2024-05/)
    expect(cookie.sameSite).toBe('Lax')
    expect(cookie.path).toBe('/')
    expect(cookie.expires - Date.now() / 1000).toBeGreaterThan(181 * 86400)
  })

  it('does not trust a cookie forged by hand in document.cookie', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await page.evaluate(async () => {
      await window.MinopioConsent.ready
      const forged = btoa(JSON.stringify({ v: 1, id: crypto.randomUUID(), t: Math.floor(Date.now() / 1000), p: '2024-05', c: ['analytics', 'marketing', 'partners'], s: 'api', h: null }))
      document.cookie = `minopio_consent=1.AAAAAAAA.${forged.replace(/=+$/, '')}; path=/`
    })
    await page.reload()
    const state = await page.evaluate(async () => await window.MinopioConsent.ready)
    expect(state.decided).toBe(false)
    expect(state.reason).toBe('unreadable')
    expect(state.categories.marketing).toBe(false)
  })
  it('does not trust an older cookie written back after "Reject all" (a rollback) on the next page', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    const accepted = (await consentCookie())!.value
    await page.evaluate(() => window.MinopioConsent.rejectAll())
    expect((await consentCookie())!.value).not.toBe(accepted)
    await page.evaluate((value) => void (document.cookie = `minopio_consent=${value}; path=/; max-age=3600`), accepted)
    await page.reload()
    const state = await page.evaluate(async () => await window.MinopioConsent.ready)
    expect(state).toMatchObject({ decided: false, reason: 'unreadable' })
    expect(state.categories.marketing).toBe(false)
    expect(await page.evaluate(() => window.MinopioConsent.get().reason)).toBe('unreadable')
  })
})
