// Screenshots of the consent UI (banner, preferences dialog, audit panel, placeholder) at 375 px and 1280 px in four looks:
// light, dark, forced colours (Windows High Contrast, emulated) and "brand" (the demo's own theme, demo/site/consent-theme.css,
// through --minopio-* properties), plus the German dialog at 320 px (400 % zoom) and audit panel, and the scanner's HTML
// report of the same page (a real scan) at 375 and 1280 px, into the git-ignored screenshots/ folder.
// `npm run screenshots` builds first. Look at them after a UI change.
import { mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { findChromium } from './find-chromium.mjs'
import { reportHtml } from '../scanner/report-html.mjs'
import { buildReport, scanAll } from '../scanner/scan.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = `${ROOT}screenshots/`
/** @type {Record<string, string>} */
const TYPES = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8' }
const CONFIG = {
  policyUrl: '/privacy',
  categories: ['necessary', 'analytics', { id: 'marketing', cookies: ['_fbp'], services: [{ id: 'meta-pixel', name: 'Meta Pixel', provider: 'Meta Platforms', description: 'Ad measurement' }] }, 'partners'],
}
const PAGE = (/** @type {number} */ port, brand = false) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Minopio — Espresso machines</title><script src="/config.js"></script><script src="/dist/minopio-consent.js"></script>
<link rel="stylesheet" href="/site.css">${brand ? '<link rel="stylesheet" href="/consent-theme.css">' : ''}</head><body><header><b>Minopio</b> <a href="#" data-minopio-open>Cookie settings</a></header>
<main><h1>Minopio Duo espresso machine</h1><p>Twin boilers, a PID-controlled brew group and a steam wand that textures milk in
twelve seconds. Free delivery in the Benelux, two-year warranty, 30 days to change your mind.</p>
<p><b>€ 649</b> — in stock, ships tomorrow.</p>
<h2>Reviews from our partner</h2>
<iframe data-consent="partners" data-src="http://127.0.0.1:${port}/widget.html" width="560" height="240" title="Partner reviews"></iframe>
<script type="text/plain" data-consent="analytics" src="http://localhost:${port}/analytics.js"></script>
<script type="text/plain" data-consent="marketing">window.pixel = 1</script>
<img src="http://localhost:${port}/ungated-pixel.gif" alt="" width="1" height="1">
<p>Descaling is automatic; the water tank holds 2.5 litres and slides out from the front.</p></main></body></html>`
const CSS = 'body{font:16px/1.5 Georgia,serif;margin:0 auto;max-width:60rem;padding:0 16px}header{display:flex;justify-content:space-between;padding:16px 0;border-bottom:1px solid #ddd}iframe{max-width:100%}'

// `routes` is filled once the port is known (the page names its own origin for the "third-party" tags).
/** @type {Record<string, string | Buffer>} */
const routes = {}
const site = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  let body = routes[path]
  if (body === undefined && path.startsWith('/dist/')) body = readFileSync(`${ROOT}dist/${path.slice(6).replace(/\.\.+/g, '')}`)
  if (body === undefined) return res.writeHead(path.endsWith('.gif') ? 204 : 404).end()
  res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? (path.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8') }).end(body)
})
await new Promise((done) => site.listen(0, '127.0.0.1', () => done(undefined)))
const port = /** @type {import('node:net').AddressInfo} */ (site.address()).port
Object.assign(routes, { '/': PAGE(port), '/brand': PAGE(port, true), '/de': PAGE(port).replace('lang="en"', 'lang="de"'), '/consent-theme.css': readFileSync(`${ROOT}demo/site/consent-theme.css`), '/config.js': `window.minopioConsentConfig = ${JSON.stringify(CONFIG)}`, '/site.css': CSS, '/widget.html': '<p>4.8 ★ from 1,204 reviews</p>', '/analytics.js': 'document.cookie = "_ga=GA1.1.1; max-age=31536000; path=/"' })
mkdirSync(OUT, { recursive: true })

const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, headless: true, args: ['--no-sandbox', '--disable-gpu'] })
const shots = []
try {
  for (const width of [375, 1280]) {
    for (const look of ['light', 'dark', 'forced', 'brand']) {
      const colorScheme = look === 'dark' ? 'dark' : 'light'
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 812 : 800 }, colorScheme, forcedColors: look === 'forced' ? 'active' : 'none' })
      const page = await context.newPage()
      const shot = async (/** @type {string} */ name) => {
        const view = await page.evaluate(() => document.getElementById('minopio-consent')?.getAttribute('data-view'))
        await page.evaluate(() => Promise.all((document.getElementById('minopio-consent')?.shadowRoot?.getAnimations() ?? []).map((a) => a.finished)))
        const file = `${OUT}ui-${name}-${width}-${look}.png`
        await page.screenshot({ path: file })
        shots.push(`${file} (data-view=${view ?? 'none'})`)
      }
      await page.goto(`http://127.0.0.1:${port}/${look === 'brand' ? 'brand' : ''}`)
      await page.locator('#minopio-consent [data-action="accept-all"]').waitFor()
      await shot('banner')
      await page.locator('#minopio-consent [data-action="customize"]').click()
      await page.locator('#minopio-consent [data-category="analytics"]').check()
      await page.keyboard.press('Tab') // show the focus ring on the next switch
      await shot('dialog')
      await page.keyboard.press('Escape')
      await page.evaluate(() => window.MinopioConsent.showAudit())
      await page.locator('#minopio-consent tbody tr').first().waitFor()
      await shot('audit')
      await page.evaluate(() => window.MinopioConsent.rejectAll())
      await page.evaluate(() => window.MinopioConsent.hide())
      await page.locator('[data-minopio-placeholder]').scrollIntoViewIfNeeded()
      await shot('placeholder')
      await context.close()
    }
  }
  // 1280 px at 400 % zoom is 320 CSS px: the German dialog, the longest words of the six languages, must reflow.
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
  const page = await context.newPage()
  await page.goto(`http://127.0.0.1:${port}/de`)
  await page.evaluate(() => window.MinopioConsent.showPreferences())
  await page.locator('#minopio-consent [data-category="analytics"]').waitFor()
  const file = `${OUT}ui-dialog-320-de.png`
  await page.screenshot({ path: file })
  shots.push(file)
  await page.goto(`http://127.0.0.1:${port}/de?minopio-audit`)
  await page.locator('#minopio-consent tbody tr').first().waitFor()
  await page.screenshot({ path: `${OUT}ui-audit-320-de.png` })
  shots.push(`${OUT}ui-audit-320-de.png`)
  await context.close()
  // The scanner's HTML report of this very page: the ungated pixel is a finding with a fix, the cookies an inventory.
  const options = { allow: [], allowCookies: [], timeout: 15000, wait: 300, crawl: 0 }
  const html = reportHtml(buildReport(await scanAll(browser, [`http://127.0.0.1:${port}/`], options), options))
  for (const width of [375, 1280]) {
    const shot = await browser.newContext({ viewport: { width, height: 900 } })
    const report = await shot.newPage()
    await report.setContent(html)
    const out = `${OUT}scan-report-${width}.png`
    await report.screenshot({ path: out, fullPage: true })
    shots.push(out)
    await shot.close()
  }
} finally {
  await browser.close()
  site.close()
}
console.log(shots.join('\n'))
