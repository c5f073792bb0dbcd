import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, sitePage, startServer, networkQuiet } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { action, focused, viewOf, waitView } from './ui-page'

let chrome: TestBrowser
let site: TestServer
let context: BrowserContext

const TAGS = `<script type="text/plain" data-consent="analytics">window.ranAnalytics = true</script>
<script type="text/plain" data-consent="marketing">window.ranMarketing = true</script>
<a href="#" id="page-link">A page link</a> <button data-minopio-open id="open">Cookie preferences</button>`
const CONFIG = `{ policyVersion: '2024-05', policyUrl: '/privacy', endpoint: '/api/consent' }`

beforeAll(async () => {
  chrome = await launchChromium()
  site = await startServer()
  site.route('/', sitePage(CONFIG, `<h1>Minopio</h1>${TAGS}`))
  site.route('/api/consent', { body: '{}', type: 'application/json' })
  for (const lang of ['fr', 'nl', 'de']) site.route(`/${lang}`, sitePage(CONFIG, '<h1>Minopio</h1>').replace('lang="en"', `lang="${lang}"`))
  site.route('/nolang', sitePage(CONFIG, '<h1>Minopio</h1>').replace(' lang="en"', ''))
  // No gated tag: revoking runs nothing that a reload would have to undo (reloadOnRevoke 'auto' stays put).
  site.route('/untagged', sitePage(CONFIG, '<h1>Minopio</h1>'))
  site.route('/markup', sitePage(`{ texts: { bannerTitle: '<img src=x onerror="window.pwned = 1">Hello', bannerText: '<b>bold</b>' } }`, '<h1>Minopio</h1>'))
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
})
afterEach(async () => {
  await context?.close()
})

const open = async (path = '/', options?: Parameters<TestBrowser['newContext']>[0]): Promise<Page> => {
  context = await chrome.newContext(options)
  const page = await context.newPage()
  await page.goto(site.url(path))
  await waitView(page, 'banner')
  return page
}
const ran = (page: Page) => page.evaluate(() => ({ analytics: !!(window as any).ranAnalytics, marketing: !!(window as any).ranMarketing }))
const decided = (page: Page) => page.waitForFunction(() => window.MinopioConsent.get().decided && window.MinopioConsent.get().change)
// The cookie is written just after the state changes: reload only once it is there.
const stored = () => expect.poll(async () => (await context.cookies()).some((c) => c.name === 'minopio_consent')).toBe(true)
const uiRequests = () => site.hits('/dist/minopio-consent-ui.js').length

describe('click paths in Chromium', () => {
  it('accept all: everything granted, the gated tags run, no banner after a reload', async () => {
    const page = await open()
    await action(page, 'accept-all').click()
    await decided(page)
    expect(await page.evaluate(() => window.MinopioConsent.get().categories)).toEqual({ necessary: true, analytics: true, marketing: true, partners: true })
    await page.waitForFunction(() => (window as any).ranAnalytics && (window as any).ranMarketing)
    expect(await viewOf(page)).toBeNull()
    await stored()
    await page.reload()
    await page.evaluate(() => window.MinopioConsent.ready)
    expect(await viewOf(page)).toBeNull()
    expect(await page.evaluate(() => window.MinopioConsent.get().decided)).toBe(true)
  })

  it('reject all: nothing optional granted or run, no banner after a reload', async () => {
    const page = await open()
    await action(page, 'reject-all').click()
    await decided(page)
    expect(await page.evaluate(() => window.MinopioConsent.get().categories)).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
    expect(await ran(page)).toEqual({ analytics: false, marketing: false })
    await stored()
    await page.reload()
    await page.evaluate(() => window.MinopioConsent.ready)
    expect(await viewOf(page)).toBeNull()
    expect(await ran(page)).toEqual({ analytics: false, marketing: false })
  })

  it('customize → save: only the chosen category is granted and only its tag runs', async () => {
    const page = await open()
    await action(page, 'customize').click()
    await waitView(page, 'preferences')
    await page.locator('#minopio-consent [data-category="analytics"]').check()
    await action(page, 'save').click()
    await decided(page)
    expect(await page.evaluate(() => window.MinopioConsent.get())).toMatchObject({
      change: { action: 'custom' }, source: 'preferences', categories: { necessary: true, analytics: true, marketing: false, partners: false },
    })
    await page.waitForFunction(() => (window as any).ranAnalytics)
    expect(await ran(page)).toEqual({ analytics: true, marketing: false })
  })

  it('logs the decision with source "banner" and the hash of the texts shown', async () => {
    const before = site.hits('/api/consent').length
    const page = await open()
    await action(page, 'reject-all').click()
    await decided(page)
    await expect.poll(() => site.hits('/api/consent').length).toBeGreaterThan(before)
    const event = JSON.parse(site.hits('/api/consent').at(-1)!.body)
    expect(event).toMatchObject({ action: 'reject_all', source: 'banner', shown: { lang: 'en' } })
    expect(event.shown.texts).toMatch(/^[0-9a-f]{64}$/)
  })

  it('the settings button reopens the dialog showing the current choice', async () => {
    const page = await open()
    await action(page, 'customize').click()
    await page.locator('#minopio-consent [data-category="marketing"]').check()
    await action(page, 'save').click()
    await decided(page)
    await action(page, 'settings').click()
    await waitView(page, 'preferences')
    const checked = await page.locator('#minopio-consent input[data-category]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked))
    expect(checked).toEqual([true, false, true, false])
  })

  it('a [data-minopio-open] element on the page opens the preferences', async () => {
    const page = await open()
    await action(page, 'reject-all').click()
    await decided(page)
    await page.click('#open')
    await waitView(page, 'preferences')
  })
})

describe('loading on demand', () => {
  it('a returning visitor who decided makes no request for minopio-consent-ui.js', async () => {
    const page = await open()
    await action(page, 'accept-all').click()
    await decided(page)
    await stored()
    const before = uiRequests()
    await page.reload()
    await page.evaluate(() => window.MinopioConsent.ready)
    await networkQuiet(page)
    expect(uiRequests()).toBe(before)
    // …and the settings link still works: the click loads the UI, then opens the dialog.
    await page.click('#open')
    await waitView(page, 'preferences')
    expect(uiRequests()).toBe(before + 1)
  })
})

describe('keyboard only', () => {
  it('page code decides: rejectAll() closes the banner; acceptAll(), rejectAll() and set() flip the switches of an open dialog', async () => {
    const page = await open('/untagged')
    const switches = () => page.evaluate(() => [...document.getElementById('minopio-consent')!.shadowRoot!.querySelectorAll<HTMLInputElement>('input[data-category]')].map((i) => i.checked))
    await page.evaluate(() => window.MinopioConsent.rejectAll()) // a site's own "refuse" link
    expect(await viewOf(page)).toBeNull()
    await page.evaluate(() => window.MinopioConsent.showPreferences())
    await waitView(page, 'preferences')
    await page.locator('#minopio-consent [data-category="partners"]').check() // toggled, not saved
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    expect(await switches()).toEqual([true, true, true, true])
    await page.evaluate(() => window.MinopioConsent.rejectAll())
    expect(await switches()).toEqual([true, false, false, false])
    await page.evaluate(() => window.MinopioConsent.set({ analytics: true }))
    expect(await switches()).toEqual([true, true, false, false])
    expect(await viewOf(page)).toBe('preferences')
  })

  it('Tab reaches every banner control first; the dialog traps focus; a decision in it moves focus to the settings button', async () => {
    const page = await open()
    const order: (string | null)[] = []
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      order.push(await focused(page))
    }
    expect(order).toEqual(['A', 'accept-all', 'reject-all', 'customize']) // A = the policy link
    const ring = await page.evaluate(() => {
      const el = document.getElementById('minopio-consent')!.shadowRoot!.activeElement!
      const s = getComputedStyle(el)
      return `${s.outlineStyle} ${s.outlineWidth}`
    })
    expect(ring).toBe('solid 3px')
    await page.keyboard.press('Enter')
    await waitView(page, 'preferences')
    expect(await focused(page)).toBe('dialog')
    const cycle: (string | null)[] = []
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab')
      cycle.push(await focused(page))
    }
    expect(cycle).toEqual(['close', 'A', 'analytics', 'marketing', 'partners', 'accept-all', 'reject-all', 'save', 'close'])
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe('reject-all')
    await page.keyboard.press('Enter')
    await waitView(page, null)
    await decided(page)
    await page.waitForFunction(() => document.getElementById('minopio-consent')!.shadowRoot!.activeElement?.getAttribute('data-action') === 'settings')
    expect(await page.evaluate(() => window.MinopioConsent.get().change?.action)).toBe('reject_all')
  })

  it('Escape in the dialog goes back to the banner before a decision, with focus on Customize', async () => {
    const page = await open()
    await action(page, 'customize').focus()
    await page.keyboard.press('Enter')
    await waitView(page, 'preferences')
    await page.keyboard.press('Escape')
    await waitView(page, 'banner')
    expect(await focused(page)).toBe('customize')
  })

  it('after a decision, Escape closes the dialog and focus returns to the page button that opened it', async () => {
    const page = await open()
    await action(page, 'accept-all').click()
    await decided(page)
    await page.focus('#open')
    await page.keyboard.press('Enter')
    await waitView(page, 'preferences')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Escape')
    await waitView(page, null)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('open')
  })
})

describe('languages and texts', () => {
  it.each([
    ['fr', 'Tout accepter', 'Tout refuser', 'Votre vie privée'],
    ['nl', 'Alles accepteren', 'Alles weigeren', 'Uw privacy'],
    ['de', 'Alle akzeptieren', 'Alle ablehnen', 'Ihre Privatsphäre'],
  ])('a lang=%s page shows the translated banner', async (lang, accept, reject, title) => {
    const page = await open(`/${lang}`)
    expect(await action(page, 'accept-all').textContent()).toBe(accept)
    expect(await action(page, 'reject-all').textContent()).toBe(reject)
    expect(await page.locator('#minopio-consent h2').textContent()).toBe(title)
  })

  it('falls back to the browser language when the page has no lang', async () => {
    const page = await open('/nolang', { locale: 'nl-BE' })
    expect(await action(page, 'customize').textContent()).toBe('Aanpassen')
  })

  it('shows markup in a config text as text: no element, no script', async () => {
    const page = await open('/markup')
    expect(await page.locator('#minopio-consent h2').textContent()).toBe('<img src=x onerror="window.pwned = 1">Hello')
    expect(await page.locator('#minopio-consent section p').first().textContent()).toContain('<b>bold</b>')
    expect(await page.evaluate(() => [(window as any).pwned, document.getElementById('minopio-consent')!.shadowRoot!.querySelectorAll('img,b').length])).toEqual([undefined, 0])
  })
})
