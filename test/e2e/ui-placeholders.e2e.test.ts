import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { closeAll, sitePage, startSuite } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { waitView } from './ui-page'

let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let context: BrowserContext

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  tracker.route('/widget', '<!doctype html><title>Partner widget</title><p>Partner offers</p>')
  site.route('/api/consent', { body: '{}', type: 'application/json' })
  site.route('/', sitePage(`{ endpoint: '/api/consent' }`, `<h1>Minopio</h1>
<iframe id="w" data-consent="partners" data-src="${tracker.url('/widget')}" width="400" height="220" title="Partner widget"></iframe>`))
})
afterAll(() => closeAll(chrome, site, tracker))
afterEach(async () => {
  await context?.close()
})

const placeholder = (page: Page) => page.locator('[data-minopio-placeholder]')
const open = async () => {
  context = await chrome.newContext()
  const page = await context.newPage()
  await page.goto(site.url('/'))
  await waitView(page, 'banner')
  await placeholder(page).waitFor()
  return page
}
const widgetLoaded = (page: Page) => page.waitForFunction(() => (document.getElementById('w') as HTMLIFrameElement).src.endsWith('/widget'))

describe('contextual consent for a blocked partner iframe', () => {
  it('shows a placeholder of the iframe\'s size naming the category, and nothing reaches the partner', async () => {
    const page = await open()
    // The iframe's own box: 400×220 plus Chromium's default 2px iframe border on each side.
    expect(await placeholder(page).boundingBox()).toMatchObject({ width: 404, height: 224 })
    expect(await placeholder(page).getAttribute('data-minopio-placeholder')).toBe('partners')
    expect(await placeholder(page).locator('p').textContent()).toContain('Partners')
    expect(await placeholder(page).locator('[data-action="allow"]').textContent()).toBe('Allow Partners')
    expect(await page.locator('#w').isVisible()).toBe(false)
    expect(tracker.hits('/widget')).toHaveLength(0)
  })

  it('"Load once" loads it without storing consent; the next page view blocks it again', async () => {
    const page = await open()
    const before = tracker.hits('/widget').length
    await placeholder(page).locator('[data-action="load-once"]').click()
    await widgetLoaded(page)
    await placeholder(page).waitFor({ state: 'detached' })
    await expect.poll(() => tracker.hits('/widget').length).toBe(before + 1)
    expect(await page.evaluate(() => window.MinopioConsent.get().decided)).toBe(false)
    expect((await context.cookies()).some((c) => c.name === 'minopio_consent')).toBe(false)
    await page.reload()
    await placeholder(page).waitFor()
    expect(tracker.hits('/widget').length).toBe(before + 1)
  })

  it('"Allow partners" stores and logs the grant, and loads the iframe', async () => {
    const page = await open()
    const logged = site.hits('/api/consent').length
    await placeholder(page).locator('[data-action="allow"]').click()
    await widgetLoaded(page)
    expect(await page.evaluate(() => window.MinopioConsent.get())).toMatchObject({ decided: true, change: { action: 'custom' }, source: 'preferences', categories: { partners: true, marketing: false } })
    await expect.poll(() => site.hits('/api/consent').length).toBeGreaterThan(logged)
    expect(JSON.parse(site.hits('/api/consent').at(-1)!.body)).toMatchObject({ action: 'custom', categories: { partners: true }, shown: { lang: 'en' } })
    await expect.poll(async () => (await context.cookies()).some((c) => c.name === 'minopio_consent')).toBe(true)
    await page.reload()
    await widgetLoaded(page)
    expect(await placeholder(page).count()).toBe(0)
  })
})
