import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { closeAll, sitePage, startSuite } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { action, waitView } from './ui-page'

let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let context: BrowserContext

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  tracker.route('/lib.js', 'window.libRan = true')
  tracker.route('/ungated.js', 'window.ungatedRan = true')
  site.route('/', sitePage(`{ rules: [{ match: '${new URL(tracker.origin).host}/ads', category: 'marketing' }] }`, `<h1>Minopio</h1>
<script type="text/plain" data-consent="analytics" src="${tracker.url('/lib.js')}"></script>
<script type="text/plain" data-consent="marketing">window.inline = 1</script>
<script src="${tracker.url('/ungated.js')}"></script>`))
})
afterAll(() => closeAll(chrome, site, tracker))
afterEach(async () => {
  await context?.close()
})

const table = () => document.getElementById('minopio-consent')!.shadowRoot!.querySelectorAll('tbody tr').length

describe('audit panel', () => {
  it('opens with ?minopio-audit: gated tags with category, kind, URL or snippet, via and state, plus uncovered third-party requests with a rule to copy', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/?minopio-audit'))
    await waitView(page, 'audit')
    await page.waitForFunction(table)
    const rows = await page.locator('#minopio-consent tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 6).map((td) => td.textContent)))
    expect(rows).toContainEqual(['Analytics', 'Script', tracker.url('/lib.js'), 'Markup', 'Blocked'])
    expect(rows.some(([cat, , what, via]) => cat === 'Marketing' && what!.includes('window.inline') && via === 'Markup')).toBe(true)
    expect(await page.locator('#minopio-consent li').allTextContents()).toEqual([tracker.url('/ungated.js')])
    expect(await page.locator('#minopio-consent [data-rule]').textContent()).toBe(`{ match: '${new URL(tracker.origin).host}', category: 'marketing' }`)
  })

  it('speaks German in ?minopio-audit on a German page: headings, columns, kinds, via and states', async () => {
    site.route('/de', sitePage(`{ lang: 'de' }`, `<h1>Minopio</h1><script type="text/plain" data-consent="analytics" src="${tracker.url('/lib.js')}"></script>`))
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/de?minopio-audit'))
    await waitView(page, 'audit')
    await page.waitForFunction(table)
    expect(await page.locator('#minopio-consent h2').textContent()).toBe('Einwilligungs-Audit')
    expect(await page.locator('#minopio-consent th').allTextContents()).toEqual(['Dienst / Anbieter', 'Kategorie', 'Art', 'URL oder Code', 'Über', 'Status', 'Zeit'])
    const row = await page.locator('#minopio-consent tbody tr').first().evaluate((tr) => [...tr.querySelectorAll('td')].slice(1, 6).map((td) => td.textContent))
    expect(row).toEqual(['Statistik', 'Skript', tracker.url('/lib.js'), 'Markup', 'Blockiert'])
    expect(await action(page, 'export').textContent()).toBe('Als CSV exportieren')
  })

  it('is non-modal: at 1280 and 375 px the page stays visible beside or above the panel, scrolls, and takes clicks', async () => {
    const tall = `<h1 id="top">Minopio</h1><button id="page-button" onclick="window.pageClicked = (window.pageClicked || 0) + 1">Add to cart</button><div style="height:3000px"></div>`
    site.route('/tall', sitePage('{}', tall))
    for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 812 }]) {
      context = await chrome.newContext({ viewport })
      const page = await context.newPage()
      await page.goto(site.url('/tall?minopio-audit'))
      await waitView(page, 'audit')
      const panel = await page.locator('#minopio-consent [role="dialog"]').boundingBox()
      expect(await page.locator('#minopio-consent [role="dialog"]').getAttribute('aria-modal')).toBeNull()
      // What the visitor sees at the page's own button is the page, not the panel or a backdrop.
      const button = (await page.locator('#page-button').boundingBox())!
      expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id, [button.x + 5, button.y + 5])).toBe('page-button')
      expect(panel!.width * panel!.height).toBeLessThan(viewport.width * viewport.height * 0.7)
      await page.locator('#page-button').click()
      expect(await page.evaluate(() => (window as unknown as { pageClicked: number }).pageClicked)).toBe(1)
      await page.mouse.move(button.x + 5, button.y + 5)
      await page.mouse.wheel(0, 600)
      await page.waitForFunction(() => scrollY > 0)
      await waitView(page, 'audit')
      await context.close()
    }
  })

  it('lists a new uncovered request live, and a rule-covered one not at all', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await page.evaluate(() => window.MinopioConsent.showAudit())
    await waitView(page, 'audit')
    await page.evaluate((base) => {
      const img = new Image()
      img.src = `${base}/pixel-live.gif`
      document.body.append(img)
      new Image().src = `${base}/ads/pixel.gif` // matches the marketing rule: gated, not "uncovered"
    }, tracker.origin)
    await page.locator('#minopio-consent li', { hasText: '/pixel-live.gif' }).waitFor()
    expect(await page.locator('#minopio-consent li', { hasText: '/ads/' }).count()).toBe(0)
  })

  it('exports the audit as a CSV download', async () => {
    context = await chrome.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(site.url('/?minopio-audit'))
    await waitView(page, 'audit')
    await page.waitForFunction(table)
    const [download] = await Promise.all([page.waitForEvent('download'), action(page, 'export').click()])
    expect(download.suggestedFilename()).toBe('minopio-consent-audit.csv')
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.split('\r\n')[0]).toBe('"kind","category","url_or_snippet","via","state","time"')
    expect(csv).toContain(`"script","analytics","${tracker.url('/lib.js')}","markup","blocked"`)
    expect(csv).toContain(`"request","","${tracker.url('/ungated.js')}","none","uncovered",""`)
  })

  it('closes with Escape back to the banner while nothing is decided', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/?minopio-audit'))
    await waitView(page, 'audit')
    await page.keyboard.press('Escape')
    await waitView(page, 'banner')
  })
})
