// Screenshots of the demo (into screenshots/, git-ignored): first visit, after "Reject all", after "Accept all", and the
// audit panel (?minopio-audit) on a first visit.
// A tall viewport rather than fullPage: full-page captures leave cross-origin iframes below the fold blank.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../bench/browser.mjs'
import { startDemo } from './server.mjs'

const OUT = fileURLToPath(new URL('../screenshots/', import.meta.url))
const WIDTHS = [1280, 390]

mkdirSync(OUT, { recursive: true })
const demo = await startDemo({ port: 0, trackerPort: 0 })
const browser = await launchChromium()
try {
  for (const width of WIDTHS) {
    for (const [state, action] of [['first-visit', null], ['after-reject', 'reject-all'], ['after-accept', 'accept-all'], ['audit', null]]) {
      const context = await browser.newContext({ viewport: { width, height: width > 600 ? 1900 : 844 } })
      const page = await context.newPage()
      page.on('console', (m) => m.type() === 'error' && console.error(`  console: ${m.text()}`))
      await page.goto(state === 'audit' ? `${demo.url}?minopio-audit` : demo.url)
      await page.evaluate(() => window.MinopioConsent.ready)
      await page.waitForSelector(`#minopio-consent[data-view="${state === 'audit' ? 'audit' : 'banner'}"] button`, { timeout: 10_000 })
      if (action) {
        await page.click(`#minopio-consent [data-action="${action}"]`)
        await page.waitForFunction(() => window.MinopioConsent.get().decided)
        await page.evaluate(() => new Promise((r) => setTimeout(r, 300))) // let the released iframes paint
      }
      await page.waitForLoadState('networkidle')
      const file = `${OUT}demo-${state}-${width}.png`
      await page.screenshot({ path: file })
      console.log(file)
      await context.close()
    }
  }
} finally {
  await browser.close()
  await demo.close()
}
