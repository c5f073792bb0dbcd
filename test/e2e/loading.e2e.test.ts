import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DIST, closeAll, sitePage, startSuite, networkQuiet } from './harness'
import type { TestBrowser, TestServer } from './harness'

// What each visit downloads: the head script alone for a returning visitor; the UI for a first visitor; the write path
// (cookie write + consent log) when a decision is near; the config diagnostics only for a broken config.
let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let context: BrowserContext
let endpointStatus = 200

const CONFIG = `{ policyVersion: '2024-05', endpoint: '/api/consent' }`
const TAG = `<script type="text/plain" data-consent="marketing">window.ranMarketing = true</script>`
const NONCE = 'r4nd0m'

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  site.route('/', sitePage(CONFIG, TAG))
  site.route('/fr', sitePage(CONFIG, TAG).replace('lang="en"', 'lang="fr"'))
  site.route('/broken', sitePage(`{ policyVersion: 7, cookieMaxAgeDays: 9000 }`, TAG))
  site.route('/nonce', sitePage(`{ policyVersion: 7, nonce: '${NONCE}' }`, TAG).replaceAll('<script', `<script nonce="${NONCE}"`))
  site.route('/nonce-ok', sitePage(`{ nonce: '${NONCE}' }`, TAG).replaceAll('<script', `<script nonce="${NONCE}"`))
  site.route('/api/consent', (_req, res) => {
    res.writeHead(endpointStatus, { 'Content-Type': 'application/json' })
    res.end('{}')
  })
})
afterAll(() => closeAll(chrome, site, tracker))
afterEach(async () => {
  await context?.close()
  delete site.htmlHeaders['Content-Security-Policy']
  endpointStatus = 200
})

const dist = () => site.requests.filter((r) => r.path.startsWith('/dist/')).map((r) => r.path.slice(6))
const open = async (path = '/') => {
  context ??= await chrome.newContext()
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  site.requests.length = 0
  await page.goto(site.url(path))
  await page.evaluate(() => window.MinopioConsent.ready)
  await networkQuiet(page)
  return Object.assign(page, { errors })
}
const fresh = async () => {
  await context?.close()
  context = await chrome.newContext()
}

describe('what each visit downloads', () => {
  it('a first visitor gets the UI and, once the banner shows, the write path; a decision then runs the tag', async () => {
    await fresh()
    const page = await open()
    await page.waitForFunction(() => document.getElementById('minopio-consent')?.dataset.view === 'banner')
    await expect.poll(() => dist().sort()).toEqual(['minopio-consent-ui.js', 'minopio-consent-write.js', 'minopio-consent.js'])
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    expect(await page.evaluate(() => (window as Window & { ranMarketing?: boolean }).ranMarketing)).toBe(true)
    expect(dist().filter((n) => n.includes('debug'))).toEqual([])
  })

  it('a French visitor downloads the UI and the French texts in parallel, no other language', async () => {
    // The UI file is answered only once the French texts were asked for (or after 5 s): requested one after the
    // other, the texts would come 5 s late and the check below fails; in parallel they come at once, however slow the machine.
    let frAsked = false
    // The route stays for the file's later tests: only the French page waits.
    site.route('/dist/minopio-consent-ui.js', async (req, res) => {
      const fr = req.headers.referer?.endsWith('/fr')
      for (let i = 0; fr && i < 50 && !site.requests.some((r) => r.path === '/dist/minopio-consent-ui-fr.js'); i++) await new Promise((r) => setTimeout(r, 100))
      if (fr) frAsked = site.requests.some((r) => r.path === '/dist/minopio-consent-ui-fr.js')
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' })
      res.end(readFileSync(join(DIST, 'minopio-consent-ui.js')))
    })
    await fresh()
    const page = await open('/fr')
    await page.waitForFunction(() => document.getElementById('minopio-consent')?.dataset.view === 'banner')
    expect(await page.evaluate(() => document.getElementById('minopio-consent')!.shadowRoot!.querySelector('[data-action="accept-all"]')!.textContent))
      .toBe('Tout accepter')
    expect(dist().filter((n) => n.startsWith('minopio-consent-ui')).sort()).toEqual(['minopio-consent-ui-fr.js', 'minopio-consent-ui.js'])
    // In parallel, not one after the other: the texts were requested while the UI file was still on its way.
    expect(frAsked).toBe(true)
  })

  it('a returning visitor with nothing pending downloads the head script alone, and a decision still loads what it needs', async () => {
    await fresh()
    await (await open()).evaluate(() => window.MinopioConsent.acceptAll())
    const page = await open()
    expect(await page.evaluate(() => window.MinopioConsent.get().decided)).toBe(true)
    expect(dist()).toEqual(['minopio-consent.js'])
    await page.evaluate(() => window.MinopioConsent.rejectAll())
    expect(dist()).toEqual(['minopio-consent.js', 'minopio-consent-write.js'])
    // Revoking a category whose tag ran reloads the page (reloadOnRevoke: 'auto'): the next page has the new decision.
    const again = await open()
    expect(await again.evaluate(() => window.MinopioConsent.get().categories.marketing)).toBe(false)
  })

  it('an event left undelivered is sent on the next page, which loads the write path for it at idle', async () => {
    await fresh()
    endpointStatus = 503
    const first = await open()
    await first.evaluate(() => window.MinopioConsent.acceptAll())
    await expect.poll(() => site.hits('/api/consent').length).toBeGreaterThan(0)
    await first.close()
    endpointStatus = 201
    const page = await open()
    await expect.poll(() => page.evaluate(() => localStorage.length)).toBe(0)
    expect(dist()).toContain('minopio-consent-write.js')
  })

  it('a broken config loads the diagnostics, which name every bad key in one console error; nothing optional runs', async () => {
    await fresh()
    const page = await open('/broken')
    await expect.poll(() => page.errors.length).toBe(1)
    expect(page.errors[0]).toMatch(/^\[minopio-consent\] invalid config, optional categories stay blocked:/)
    expect(page.errors[0]).toContain('policyVersion: expected a non-empty string like "2024-05", got 7')
    expect(page.errors[0]).toContain('cookieMaxAgeDays: expected a number of days from 1 to 400, got 9000')
    expect(dist().sort()).toEqual(['minopio-consent-debug.js', 'minopio-consent.js'])
    expect(await page.evaluate(() => (window as Window & { ranMarketing?: boolean }).ranMarketing)).toBeUndefined()
  })

  it('deferred files run under a nonce-only CSP: the diagnostics for a broken config, the write path for a decision', async () => {
    site.htmlHeaders['Content-Security-Policy'] = `script-src 'nonce-${NONCE}'; style-src 'self'`
    await fresh()
    const broken = await open('/nonce')
    await expect.poll(() => broken.errors.filter((e) => e.includes('policyVersion: expected')).length).toBe(1)
    await fresh()
    const page = await open('/nonce-ok')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    expect(await page.evaluate(() => (window as Window & { ranMarketing?: boolean }).ranMarketing)).toBe(true)
    expect(page.errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([])
  })
})
