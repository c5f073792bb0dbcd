// What a visitor notices beyond the click paths (issue 12): forced colours, reflow at 320 px, the language of the UI,
// the saved-choice announcement, where focus goes, and page focus kept clear of the banner.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { closeAll, sitePage, startSuite } from './harness'
import type { Suite } from './harness'
import { action, focused, settled, waitView } from './ui-page'

let suite: Suite
let context: BrowserContext

const LANGS = ['en', 'fr', 'nl', 'de', 'es', 'it']
const CATEGORIES = `['necessary', 'analytics', { id: 'marketing', cookies: ['_fbp', '_gcl_au'], services: [{ name: 'Meta Pixel', description: 'Ad measurement', cookies: ['_fbp'] }] }, 'partners']`
// An empty texts block makes core offer a language it does not list as built in yet (es, it); harmless for the others.
const config = (lang: string) => `{ lang: '${lang}', texts: { ${lang}: {} }, policyUrl: '/privacy', categories: ${CATEGORIES} }`
const TAGS = `<script type="text/plain" data-consent="analytics" src="/a-very-long-analytics-library-name-that-does-not-wrap-at-all.js"></script>
<script type="text/plain" data-consent="marketing">window.pixel = 1</script>`
const LONG_PAGE = `<main><h1>Minopio</h1>${'<p>Teaware from Seto, shipped across Europe.</p>'.repeat(40)}<a href="#x" id="deep">Deep link</a>${'<p>More.</p>'.repeat(20)}</main>`

beforeAll(async () => {
  suite = await startSuite()
  for (const lang of LANGS) suite.site.route(`/${lang}`, sitePage(config(lang), `<main><h1>Minopio</h1>${TAGS}</main>`))
  suite.site.route('/fr-on-en', sitePage(`{ lang: 'fr' }`, '<h1>Minopio</h1>'))
  suite.site.route('/long', sitePage('{}', LONG_PAGE))
})
afterAll(() => closeAll(suite?.chrome, suite?.site, suite?.tracker))
afterEach(async () => {
  await context?.close()
})

const open = async (path: string, options?: Parameters<Suite['chrome']['newContext']>[0]): Promise<Page> => {
  context = await suite.chrome.newContext(options)
  const page = await context.newPage()
  await page.goto(suite.site.url(path))
  await waitView(page, 'banner')
  await settled(page)
  return page
}
const inShadow = <T>(page: Page, fn: (root: ShadowRoot) => T) =>
  page.evaluate(`(${fn.toString()})(document.getElementById('minopio-consent').shadowRoot)`) as Promise<T>

describe('forced colours (Windows High Contrast)', () => {
  it('draws a checked and an unchecked switch differently', async () => {
    const page = await open('/en', { forcedColors: 'active' })
    expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true)
    await action(page, 'customize').click()
    await waitView(page, 'preferences')
    await page.locator('#minopio-consent [data-category="analytics"]').check()
    await page.mouse.move(0, 0)
    const on = page.locator('#minopio-consent [data-category="analytics"]')
    const off = page.locator('#minopio-consent [data-category="marketing"]')
    const look = (sel: string) =>
      page.evaluate((s) => {
        const el = document.getElementById('minopio-consent')!.shadowRoot!.querySelector(s)!
        const knob = getComputedStyle(el, '::before')
        return [getComputedStyle(el).backgroundColor, knob.backgroundColor, knob.transform].join(' | ')
      }, sel)
    expect(await look('[data-category="analytics"]')).not.toBe(await look('[data-category="marketing"]'))
    expect((await on.screenshot()).equals(await off.screenshot())).toBe(false)
  })
})

describe('reflow at 320 CSS px (1280 px at 400 % zoom)', () => {
  const noSideScroll = (page: Page, selector: string) =>
    page.evaluate((sel) => {
      const el = document.getElementById('minopio-consent')!.shadowRoot!.querySelector(sel)!
      return { box: [el.scrollWidth, el.clientWidth], page: [document.documentElement.scrollWidth, innerWidth] }
    }, selector)
  const fits = ({ box, page }: { box: number[]; page: number[] }) => {
    expect(box[0]).toBeLessThanOrEqual(box[1])
    expect(page[0]).toBeLessThanOrEqual(page[1])
  }

  it.each(['de', ...LANGS.filter((l) => l !== 'de')])('%s: banner, preferences and audit panel never scroll sideways; Close stays on screen', async (lang) => {
    const page = await open(`/${lang}`, { viewport: { width: 320, height: 640 } })
    fits(await noSideScroll(page, '.bn'))
    // Equal weight survives the squeeze: side by side, same width, same height.
    const [accept, reject] = [(await action(page, 'accept-all').boundingBox())!, (await action(page, 'reject-all').boundingBox())!]
    expect([reject.y, reject.width, reject.height]).toEqual([accept.y, accept.width, accept.height])
    for (const show of ['showPreferences', 'showAudit'] as const) {
      await page.evaluate((m) => window.MinopioConsent[m](), show)
      await waitView(page, show === 'showAudit' ? 'audit' : 'preferences')
      fits(await noSideScroll(page, '[role=dialog]'))
      const close = (await action(page, 'close').boundingBox())!
      expect(close.x).toBeGreaterThanOrEqual(0)
      expect(close.y).toBeGreaterThanOrEqual(0)
      expect(close.x + close.width).toBeLessThanOrEqual(320)
      expect(close.y + close.height).toBeLessThanOrEqual(640)
    }
  })

  it('keeps Save in view on a phone: the preferences\' actions stick to the bottom of the dialog', async () => {
    const page = await open('/de', { viewport: { width: 375, height: 667 } })
    await action(page, 'customize').click()
    await waitView(page, 'preferences')
    const save = (await action(page, 'save').boundingBox())!
    expect(save.y + save.height).toBeLessThanOrEqual(667)
  })
})

describe('language, status and focus', () => {
  it('puts the language shown on the UI host, not the page\'s', async () => {
    const page = await open('/fr-on-en')
    expect(await page.evaluate(() => [document.documentElement.lang, document.getElementById('minopio-consent')!.lang, document.getElementById('minopio-consent')!.dir])).toEqual(['en', 'fr', 'ltr'])
    expect(await action(page, 'accept-all').textContent()).toBe('Tout accepter')
  })

  it('announces the saved choice in a polite live region, in the language shown', async () => {
    const page = await open('/de')
    expect(await inShadow(page, (root) => root.querySelector('[role=status]')?.textContent)).toBe('')
    await action(page, 'reject-all').click()
    await page.waitForFunction(() => document.getElementById('minopio-consent')!.shadowRoot!.querySelector('[role=status]')!.textContent !== '')
    expect(await inShadow(page, (root) => root.querySelector('[role=status]')!.textContent)).toBe('Ihre Auswahl wurde gespeichert.')
  })

  it('after a keyboard decision in the banner, focus is on the settings button, not on <body>', async () => {
    const page = await open('/en')
    await action(page, 'accept-all').focus()
    await page.keyboard.press('Enter')
    await waitView(page, null)
    await page.waitForFunction(() => document.activeElement !== document.body)
    expect(await focused(page)).toBe('settings')
  })

  it('while the banner shows, a focused page link is scrolled above the banner, not under it', async () => {
    const page = await open('/long', { viewport: { width: 375, height: 667 } })
    const bannerTop = (await page.locator('#minopio-consent section').boundingBox())!.y
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).scrollPaddingBottom))).toBeGreaterThanOrEqual(667 - bannerTop - 1)
    await page.locator('#deep').focus()
    const link = (await page.locator('#deep').boundingBox())!
    expect(link.y + link.height).toBeLessThanOrEqual(bannerTop)
    await action(page, 'accept-all').click()
    await waitView(page, null)
    expect(await page.evaluate(() => document.documentElement.style.scrollPaddingBottom)).toBe('')
  })
})
