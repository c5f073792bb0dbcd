import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, ROOT, sitePage, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { action, settled, waitView } from './ui-page'

let chrome: TestBrowser
let site: TestServer
let context: BrowserContext

const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js')
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const LANGS = ['en', 'fr', 'nl', 'de', 'es', 'it']

beforeAll(async () => {
  chrome = await launchChromium()
  site = await startServer()
  const config = `{ policyUrl: '/privacy', categories: ['necessary', 'analytics', { id: 'marketing', cookies: ['_fbp'], services: [{ name: 'Meta Pixel', description: 'Ad measurement' }] }, 'partners'] }`
  site.route('/', sitePage(config, '<main><h1>Minopio</h1><p>Shop.</p></main>'))
  site.route('/audit', sitePage(config, `<main><h1>Minopio</h1><script type="text/plain" data-consent="analytics" src="/a.js"></script>
<img src="http://localhost:${new URL(site.origin).port}/pixel.gif" alt=""></main>`))
  // Every built-in language; an empty texts block lets core pick es and it, which its BUILT_IN_LANGS does not list yet.
  site.route('/consent-theme.css', readFileSync(join(ROOT, 'demo/site/consent-theme.css'), 'utf8'))
  site.route('/brand', sitePage(config, '<main><h1>Minopio</h1><p>Shop.</p></main>', '<link rel="stylesheet" href="/consent-theme.css">'))
  for (const lang of LANGS) site.route(`/${lang}`, sitePage(config.replace('{ ', `{ lang: '${lang}', texts: { ${lang}: {} }, `), '<main><h1>Minopio</h1><p>Shop.</p></main>'))
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
})
afterEach(async () => {
  await context?.close()
})

const violations = async (page: Page) => {
  await settled(page)
  await page.addScriptTag({ path: AXE })
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe
    const result = await axe.run({ include: [['#minopio-consent']] }, { runOnly: { type: 'tag', values: tags } })
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)
  }, WCAG_AA)
}

describe('axe-core, WCAG 2.2 A/AA', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no violation in the banner (${colorScheme})`, async () => {
      context = await chrome.newContext({ colorScheme })
      const page = await context.newPage()
      await page.goto(site.url('/'))
      await waitView(page, 'banner')
      expect(await violations(page)).toEqual([])
    })

    it(`finds no violation in the preferences dialog (${colorScheme})`, async () => {
      context = await chrome.newContext({ colorScheme })
      const page = await context.newPage()
      await page.goto(site.url('/'))
      await waitView(page, 'banner')
      await action(page, 'customize').click()
      await waitView(page, 'preferences')
      expect(await violations(page)).toEqual([])
    })

    it(`finds no violation in the audit panel, its state colours and suggested rules included (${colorScheme})`, async () => {
      context = await chrome.newContext({ colorScheme })
      const page = await context.newPage()
      await page.goto(site.url('/audit?minopio-audit'))
      await waitView(page, 'audit')
      await page.locator('#minopio-consent [data-rule]').waitFor()
      expect(await violations(page)).toEqual([])
    })
  }

  // One test per language and scheme: four axe runs in one test outlived the 30 s timeout on a loaded machine.
  for (const lang of LANGS) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`finds no violation in the banner and the dialog in ${lang} (${colorScheme})`, async () => {
        context = await chrome.newContext({ colorScheme })
        const page = await context.newPage()
        await page.goto(site.url(`/${lang}`))
        await waitView(page, 'banner')
        expect(await page.evaluate(() => document.getElementById('minopio-consent')!.lang)).toBe(lang)
        expect(['banner', await violations(page)]).toEqual(['banner', []])
        await action(page, 'customize').click()
        await waitView(page, 'preferences')
        expect(['dialog', await violations(page)]).toEqual(['dialog', []])
      })
    }
  }

  it('finds no violation with the demo\'s brand theme (its --minopio-* palette), even in a dark-scheme browser', async () => {
    context = await chrome.newContext({ colorScheme: 'dark' })
    const page = await context.newPage()
    await page.goto(site.url('/brand'))
    await waitView(page, 'banner')
    expect(await violations(page)).toEqual([])
    await action(page, 'customize').click()
    await waitView(page, 'preferences')
    expect(await violations(page)).toEqual([])
  })

  it('checks what it claims: a low-contrast theme is reported', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    await page.addStyleTag({ content: ':root { --minopio-fg: #ccc; --minopio-bg: #fff }' })
    expect((await violations(page)).some((v) => v.startsWith('color-contrast'))).toBe(true)
  })
})
