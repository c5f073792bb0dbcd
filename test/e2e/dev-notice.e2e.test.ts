import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { closeAll, sitePage, startSuite } from './harness'
import type { TestBrowser, TestServer } from './harness'

// Dev mode: the test server is 127.0.0.1 (also reached as localhost), a developer's machine. A broken config shows its developer an in-page notice
// (loaded with the diagnostics); a valid one shows nothing and loads nothing more.
let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let context: BrowserContext

const TAG = `<script type="text/plain" data-consent="marketing">window.ranMarketing = true</script>`

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  site.route('/misspelt', sitePage(`{ policyVersion: '2024-05', polcyUrl: '/privacy' }`, `<h1>Shop</h1>${TAG}`))
  site.route('/valid', sitePage(`{ policyVersion: '2024-05', policyUrl: '/privacy' }`, `<h1>Shop</h1>${TAG}`))
  // Under a CSP without 'unsafe-inline' styles: the notice's styles must still apply.
  site.route('/csp', sitePage(`{ polcyUrl: '/privacy' }`, '<h1>Shop</h1>'))
})
afterAll(() => closeAll(chrome, site, tracker))
afterEach(async () => {
  await context?.close()
  delete site.htmlHeaders['Content-Security-Policy']
})

const open = async (path: string, host = '127.0.0.1') => {
  context = await chrome.newContext()
  const page = await context.newPage()
  await page.goto(site.url(path).replace('127.0.0.1', host))
  await page.evaluate(() => window.MinopioConsent.ready)
  return page
}
const noticeText = (page: Awaited<ReturnType<typeof open>>) =>
  page.evaluate(() => document.getElementById('minopio-consent-dev-notice')?.shadowRoot?.textContent ?? null)

describe('the dev-mode notice', () => {
  it('shows on localhost for a misspelt key, with the key it meant, and goes away when dismissed', async () => {
    const page = await open('/misspelt', 'localhost')
    expect(new URL(page.url()).hostname).toBe('localhost')
    await page.waitForFunction(() => document.getElementById('minopio-consent-dev-notice'))
    expect(await noticeText(page)).toContain('polcyUrl: unknown key, did you mean "policyUrl"?')
    // Still fail closed: no banner, the tag held.
    expect(await page.evaluate(() => [document.getElementById('minopio-consent'), (window as Window & { ranMarketing?: boolean }).ranMarketing]))
      .toEqual([null, undefined])
    await page.locator('#minopio-consent-dev-notice button').click()
    expect(await noticeText(page)).toBeNull()
  })

  it('is absent with a valid config, and the diagnostics are not even downloaded', async () => {
    const page = await open('/valid')
    await page.waitForFunction(() => document.getElementById('minopio-consent')?.dataset.view === 'banner')
    expect(await noticeText(page)).toBeNull()
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/minopio-consent-debug.js'))))
      .toBe(false)
  })

  it('is styled (fixed in a corner) under a CSP that forbids inline styles', async () => {
    site.htmlHeaders['Content-Security-Policy'] = `script-src 'self' 'unsafe-inline'; style-src 'self'`
    const page = await open('/csp')
    await page.waitForFunction(() => document.getElementById('minopio-consent-dev-notice'))
    expect(await page.evaluate(() => {
      const section = document.getElementById('minopio-consent-dev-notice')!.shadowRoot!.querySelector('section')!
      return getComputedStyle(section).position
    })).toBe('fixed')
  })
})
