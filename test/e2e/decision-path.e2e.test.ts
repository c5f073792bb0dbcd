import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, sitePage, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'

let chrome: TestBrowser
let site: TestServer
let context: BrowserContext

const TAG = '<script type="text/plain" data-consent="marketing">window.ranMarketing = true</script>'

beforeAll(async () => {
  chrome = await launchChromium()
  site = await startServer()
  site.route('/', sitePage(`{ policyVersion: '2024-05', endpoint: '/api/consent', googleConsentMode: true }`, `<h1>Minopio</h1>${TAG}`))
  site.route('/api/consent', { body: '{}', type: 'application/json' })
  site.route('/down', sitePage(`{ policyVersion: '2024-05', endpoint: '/api/down' }`, `<h1>Minopio</h1>${TAG}`))
  site.route('/api/down', { status: 503, body: '' }) // the log keeps a retry timer
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
})
afterEach(async () => {
  await context?.close()
})

/** Opens a page; `before` runs ahead of every page script (the site's own code at the top of <head>). */
const open = async (path: string, before?: () => void) => {
  context = await chrome.newContext()
  const page = await context.newPage()
  const said: string[] = []
  const thrown: string[] = []
  page.on('console', (m) => m.type() === 'warning' && said.push(m.text()))
  page.on('pageerror', (e) => thrown.push(e.message))
  if (before) await page.addInitScript(before)
  await page.goto(site.url(path))
  await page.evaluate(() => window.MinopioConsent.ready)
  return { page, said, thrown }
}
const cookieWritten = async () => (await context.cookies()).some((c) => c.name === 'minopio_consent')
const logged = () => site.hits('/api/consent').map((r) => JSON.parse(r.body) as { action: string; eventId: string })
const ran = (page: Page) => page.evaluate(() => !!(window as Window & { ranMarketing?: boolean }).ranMarketing)

describe('one decision path in Chromium', () => {
  it('offers page scripts no way to grant past it: stores.$consent has no set, and nothing is released', async () => {
    const { page } = await open('/')
    const tried = await page.evaluate(() => {
      const store = window.MinopioConsent.stores.$consent
      const granted = { ...store.get(), decided: true, categories: { necessary: true, analytics: true, marketing: true, partners: true } }
      const attempts: string[] = []
      try {
        // @ts-expect-error the stores are read-only views: a grant must go through an action, which stores and logs it
        store.set(granted)
      } catch (error) {
        attempts.push((error as Error).name)
      }
      try {
        Object.assign(store, { set: () => undefined })
      } catch (error) {
        attempts.push((error as Error).name)
      }
      return attempts
    })
    expect(tried).toEqual(['TypeError', 'TypeError'])
    expect(await page.evaluate(() => [window.MinopioConsent.has('marketing'), window.MinopioConsent.audit().map((t) => t.state)])).toEqual([false, ['blocked']])
    expect(await ran(page)).toBe(false)
    expect(await cookieWritten()).toBe(false)
  })

  it('a frozen dataLayer with Google Consent Mode on: the decision is stored and logged, with one warning naming the signal', async () => {
    const { page, said, thrown } = await open('/', () => void ((window as Window & { dataLayer?: unknown }).dataLayer = Object.freeze([])))
    const state = await page.evaluate(() => window.MinopioConsent.acceptAll())
    expect(state.decided).toBe(true)
    expect(await cookieWritten()).toBe(true)
    await expect.poll(() => logged().map((e) => e.eventId)).toContain(state.change!.eventId)
    await page.waitForFunction(() => (window as Window & { ranMarketing?: boolean }).ranMarketing)
    expect(said.filter((m) => m.includes('dataLayer'))).toEqual(['[minopio-consent] window.dataLayer refused a Google Consent Mode signal (is it frozen?)'])
    expect(thrown).toEqual([])
  })

  it('window.dataLayer = {} (not an array) throws nothing into the page: one warning, and decisions work', async () => {
    const { page, said, thrown } = await open('/', () => void ((window as Window & { dataLayer?: unknown }).dataLayer = {}))
    expect((await page.evaluate(() => window.MinopioConsent.acceptAll())).decided).toBe(true)
    expect(await cookieWritten()).toBe(true)
    expect(said.filter((m) => m.includes('dataLayer'))).toEqual(['[minopio-consent] window.dataLayer is not an array: Google Consent Mode signals are not sent'])
    expect(await page.evaluate(() => (window as Window & { dataLayer?: unknown }).dataLayer)).toEqual({})
    expect(thrown).toEqual([])
  })

  it('destroy() leaves no observer observing, no timer pending and no UI, with the banner shown and a log retry waiting', async () => {
    const { page } = await open('/down', () => {
      // Counts what the SDK's files have running: observers between observe() and disconnect(), timers not yet fired or
      // cleared. Only calls made from /dist/ count: the test driver observes the page too.
      const ours = () => (new Error().stack ?? '').includes('/dist/minopio-consent')
      const observing = new Set<object>()
      const w = window as unknown as Record<string, unknown>
      for (const name of ['MutationObserver', 'ResizeObserver', 'IntersectionObserver', 'PerformanceObserver']) {
        const Native = w[name] as { new (...args: never[]): { observe(...a: unknown[]): void; disconnect(): void } } | undefined
        if (!Native) continue
        w[name] = class extends Native {
          observe(...a: unknown[]) {
            if (ours()) observing.add(this)
            return super.observe(...a)
          }
          disconnect() {
            observing.delete(this)
            return super.disconnect()
          }
        }
      }
      const pending = new Set<unknown>()
      const { setTimeout: later, clearTimeout: cancel, setInterval: every, clearInterval: stop } = window
      w.setTimeout = (fn: () => void, ms?: number) => {
        const id = later(() => (pending.delete(id), fn()), ms)
        if (ours()) pending.add(id)
        return id
      }
      w.clearTimeout = (id: number) => (pending.delete(id), cancel(id))
      w.setInterval = (fn: () => void, ms?: number) => {
        const id = every(fn, ms)
        if (ours()) pending.add(id)
        return id
      }
      w.clearInterval = (id: number) => (pending.delete(id), stop(id))
      w.running = () => ({ observers: observing.size, timers: pending.size })
    })
    await page.waitForFunction(() => document.getElementById('minopio-consent')?.getAttribute('data-view') === 'banner')
    await page.evaluate(() => window.MinopioConsent.set({ analytics: true }))
    await expect.poll(() => site.hits('/api/down').length).toBeGreaterThan(0)
    const running = () => page.evaluate(() => (window as unknown as { running(): { observers: number; timers: number } }).running())
    await expect.poll(async () => (await running()).timers).toBeGreaterThan(0) // the retry is scheduled
    expect((await running()).observers).toBeGreaterThan(0)
    expect(await page.evaluate(() => !!document.querySelector('#minopio-consent')?.shadowRoot?.querySelector('[data-action="settings"]'))).toBe(true)
    await page.evaluate(() => window.MinopioConsent.destroy())
    expect(await running()).toEqual({ observers: 0, timers: 0 })
    // The UI goes with it: no settings button of a dead instance (a next instance mounts its own).
    expect(await page.evaluate(() => document.getElementById('minopio-consent'))).toBeNull()
  })
})
