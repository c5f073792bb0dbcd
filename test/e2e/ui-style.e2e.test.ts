import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { action, waitView } from './ui-page'

let chrome: TestBrowser
let site: TestServer
let context: BrowserContext

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'"

beforeAll(async () => {
  chrome = await launchChromium()
  site = await startServer()
  site.htmlHeaders['Content-Security-Policy'] = CSP
  // Under script-src 'self' nothing inline runs: the config and a violation recorder are same-origin files.
  site.route('/config.js', "window.minopioConsentConfig = { policyUrl: '/privacy' }")
  site.route('/spy.js', "window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI))")
  site.route('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP</title>
<script src="/spy.js"></script><script src="/config.js"></script><script src="/dist/minopio-consent.js"></script></head>
<body><h1>Strict CSP</h1><iframe data-consent="partners" data-src="/widget.html" width="320" height="180" title="Widget"></iframe></body></html>`)
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
})
afterEach(async () => {
  await context?.close()
})

const style = (page: Page, selector: string, props: string[]) =>
  page.evaluate(([sel, names]) => {
    const el = document.getElementById('minopio-consent')!.shadowRoot!.querySelector(sel as string)!
    const s = getComputedStyle(el)
    return (names as string[]).map((n) => s.getPropertyValue(n))
  }, [selector, props] as const)

describe('styling', () => {
  it('renders styled under a strict CSP, with no CSP violation in the console', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    const console: string[] = []
    page.on('console', (m) => console.push(m.text()))
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    expect(await style(page, 'section', ['position', 'border-top-style'])).toEqual(['fixed', 'solid'])
    expect(await style(page, '[data-action="accept-all"]', ['background-color', 'color'])).toEqual(['rgb(28, 29, 33)', 'rgb(255, 255, 255)']) // the neutral default theme: ink buttons
    await action(page, 'customize').click()
    await waitView(page, 'preferences')
    expect(await style(page, '.o', ['position'])).toEqual(['fixed'])
    // The contextual placeholder (its own shadow root, sized through CSSOM) renders under the same CSP.
    expect(await page.locator('[data-minopio-placeholder]').evaluate((el) => getComputedStyle(el).width)).toBe('324px') // 320 + the iframe's 2px borders
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    expect(console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([])
  })

  it('gives Accept all and Reject all the same size, font and style', async () => {
    context = await chrome.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    const props = ['width', 'height', 'font-size', 'font-weight', 'font-family', 'background-color', 'color', 'border-top-width', 'border-radius']
    expect(await style(page, '[data-action="reject-all"]', props)).toEqual(await style(page, '[data-action="accept-all"]', props))
  })

  it('switches to the dark palette with prefers-color-scheme: dark', async () => {
    context = await chrome.newContext({ colorScheme: 'dark' })
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    expect(await style(page, 'section', ['background-color'])).toEqual(['rgb(29, 31, 35)'])
  })

  it('drops the entrance animation with prefers-reduced-motion', async () => {
    context = await chrome.newContext({ reducedMotion: 'reduce' })
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    expect(await style(page, 'section', ['animation-name'])).toEqual(['none'])
  })

  it('lets the site theme it through --minopio-* custom properties', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    // What a site's stylesheet `:root { --minopio-accent: … }` does; set through CSSOM because this page's CSP forbids inline CSS.
    await page.evaluate(() => document.documentElement.style.setProperty('--minopio-accent', 'rgb(123, 44, 191)'))
    expect(await style(page, '[data-action="accept-all"]', ['background-color'])).toEqual(['rgb(123, 44, 191)'])
  })

  it('never covers the whole page on a phone', async () => {
    context = await chrome.newContext({ viewport: { width: 375, height: 667 } })
    const page = await context.newPage()
    await page.goto(site.url('/'))
    await waitView(page, 'banner')
    const box = await page.locator('#minopio-consent section').boundingBox()
    expect(box!.height).toBeLessThanOrEqual(667 * 0.6 + 1)
    expect(box!.y).toBeGreaterThan(0)
  })
})
