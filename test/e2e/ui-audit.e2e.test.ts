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
  it('opens with ?minopio-audit: gated tags with category, URL or snippet, via and state, plus uncovered third-party requests', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/?minopio-audit'))
    await waitView(page, 'audit')
    await page.waitForFunction(table)
    const rows = await page.locator('#minopio-consent tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)))
    expect(rows).toContainEqual(['analytics', tracker.url('/lib.js'), 'markup', 'blocked'])
    expect(rows.some(([cat, what, via]) => cat === 'marketing' && what!.includes('window.inline') && via === 'markup')).toBe(true)
    expect(await page.locator('#minopio-consent li').allTextContents()).toEqual([tracker.url('/ungated.js')])
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
