import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { consentPolicy } from '../../src/server'
import { closeAll, startServer, startSuite } from './harness'
import type { TestBrowser, TestServer } from './harness'

// Strict mode: the browser enforces the gate through a Content-Security-Policy. The page below loads the tracker
// (a second origin, ruled `marketing`) and an unruled third party through the paths JavaScript interception cannot
// close. Every request either server gets is counted.
type StrictWindow = Window & { order?: string[]; tried?: boolean }

let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let other: TestServer
let context: BrowserContext
let T: string
let U: string

const config = () => ({ strict: true, rules: [{ match: T.slice(7), category: 'marketing' }] })

// Each path requests its own tracker path, so a failure names the path that leaked.
const PATHS: Record<string, string> = {
  'WebSocket': '/ws',
  'EventSource': '/es',
  'import()': '/mod.js',
  'blob Worker + importScripts': '/w.js',
  'element.style url()': '/bg.gif',
  '<style> @import': '/imp.css',
  'FontFace': '/f.woff',
  '@font-face in a <style>': '/ff.woff',
  'srcdoc iframe with its own inline script': '/sd',
  'data: iframe': '/data.gif',
  'SVG <image href>': '/svg.gif',
  '<a ping>': '/ping',
  'DOMParser-built <img> inserted': '/dp.gif',
}
// Fetched by the preload scanner before any script runs: only a policy in the response header stops them.
const PARSED: Record<string, string> = { 'parser-inserted <img>': '/parsed.gif', '<link rel=preload>': '/pre.js' }

const PAGE = (gate: string, cfg: object) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict</title>
<script>window.minopioConsentConfig = ${JSON.stringify(cfg)}</script>
<script src="/dist/${gate}"></script>
<link rel="preload" as="script" href="${T}/pre.js">
</head><body>
<img src="${T}/parsed.gif" alt="">
<script type="text/plain" data-consent="marketing" src="${T}/tag.js"></script>
<div id="bg" style="width:10px;height:10px"></div>
<script>
  const T = ${JSON.stringify(T)}, U = ${JSON.stringify(U)}
  const attempt = (f) => { try { f() } catch {} }
  attempt(() => new WebSocket(T.replace('http', 'ws') + '/ws'))
  attempt(() => new EventSource(T + '/es'))
  attempt(() => import(T + '/mod.js').catch(() => {}))
  attempt(() => new Worker(URL.createObjectURL(new Blob(['importScripts(' + JSON.stringify(T + '/w.js') + ')'], { type: 'text/javascript' }))))
  attempt(() => { bg.style.backgroundImage = 'url(' + T + '/bg.gif)' })
  attempt(() => document.head.insertAdjacentHTML('beforeend', '<style>@import url(' + T + '/imp.css);</style>'))
  attempt(() => new FontFace('x', 'url(' + T + '/f.woff)').load().catch(() => {}))
  attempt(() => { document.head.insertAdjacentHTML('beforeend', '<style>@font-face { font-family: y; src: url(' + T + '/ff.woff) } #bg { font-family: y }</style>'); bg.textContent = 'y' })
  attempt(() => { const f = document.createElement('iframe'); f.srcdoc = '<script>fetch(' + JSON.stringify(T + '/sd') + ')<\\/script>'; document.body.append(f) })
  attempt(() => { const f = document.createElement('iframe'); f.src = 'data:text/html,<img src=' + T + '/data.gif>'; document.body.append(f) })
  attempt(() => { const NS = 'http://www.w3.org/2000/svg'; const svg = document.createElementNS(NS, 'svg'); const im = document.createElementNS(NS, 'image'); im.setAttribute('href', T + '/svg.gif'); svg.append(im); document.body.append(svg) })
  attempt(() => { const a = document.createElement('a'); a.href = '#pinged'; a.ping = T + '/ping'; document.body.append(a); a.click() })
  attempt(() => document.body.append(new DOMParser().parseFromString('<img src="' + T + '/dp.gif">', 'text/html').body.firstChild))
  attempt(() => fetch(U + '/unruled').catch(() => {}))
  window.tried = true
</script></body></html>`

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  other = await startServer()
  T = tracker.origin
  U = other.origin
  tracker.route('/tag.js', { body: '(window.order = window.order || []).push("tag")', type: 'text/javascript' })
  for (const p of ['/mod.js', '/w.js', '/pre.js']) tracker.route(p, { body: '', type: 'text/javascript' })
  tracker.route('/imp.css', { body: '', type: 'text/css' })
  // 204: an EventSource that must not reconnect (a reconnecting one would keep the network busy forever).
  tracker.route('/es', { body: '', status: 204 })
  site.route('/meta', PAGE('minopio-consent-strict.js', config()))
  site.route('/plain', PAGE('minopio-consent.js', { rules: config().rules }))
  site.route('/plain-strict', PAGE('minopio-consent.js', config()))
  // The server tier: the same config, the policy as a response header from the visitor's cookies.
  site.route('/header', async (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': await consentPolicy(req.headers.cookie, config()) })
    res.end(PAGE('minopio-consent-strict.js', config()))
  })
})
afterAll(() => closeAll(chrome, site, tracker, other))
afterEach(async () => {
  await context?.close()
  for (const s of [site, tracker, other]) s.requests.length = 0
})

const open = async (path: string) => {
  context = await chrome.newContext()
  const page = await context.newPage()
  await page.goto(site.url(path))
  await settle(page)
  return page
}
// Every attempt is made by then; their requests have had time to arrive once the third parties hear nothing for a while
// (networkidle never comes here: Chromium keeps some of these paths' connections open).
const settle = async (page: Page) => {
  await page.waitForFunction(() => !!((window as StrictWindow).tried && window.MinopioConsent?.ready))
  await page.evaluate(() => window.MinopioConsent.ready)
  await page.waitForLoadState('load')
  let count = -1
  while (count != tracker.requests.length + other.requests.length) {
    count = tracker.requests.length + other.requests.length
    await page.waitForTimeout(750)
  }
}
const hits = (path: string) => tracker.requests.filter((r) => r.path === path).length
const thirdParty = () => [...tracker.requests, ...other.requests].map((r) => r.path)
// Decides, then follows the one reload a widening grant needs in strict mode.
const decideAndReload = async (page: Page, decide: 'acceptAll' | 'rejectAll') => {
  const navigated = page.waitForEvent('framenavigated', { timeout: 15_000 })
  await page.evaluate((d) => void window.MinopioConsent[d](), decide)
  await navigated
  await settle(page)
}

describe.each([
  ['a <meta> the strict gate inserts', '/meta', Object.values(PARSED)],
  ['a response header from consentPolicy() and the <meta>', '/header', []],
])('strict mode, policy from %s', (_tier, path, scanned) => {
  describe('before any decision', () => {
    let seen: string[] = []
    beforeAll(async () => {
      await open(path)
      seen = thirdParty()
      await context.close()
    })
    it.each(Object.entries(PATHS))('%s sends nothing', (_name, p) => {
      expect(seen).not.toContain(p)
    })
    it('a third party no rule names sends nothing either', () => {
      expect(seen).not.toContain('/unruled')
    })
    it.each(Object.entries(PARSED))(`%s: ${scanned.length ? 'only the header stops the preload scanner' : 'sends nothing'}`, (_name, p) => {
      expect(seen.includes(p)).toBe(scanned.includes(p))
    })
    it('the held marketing tag never reached the tracker', () => {
      expect(seen).not.toContain('/tag.js')
    })
  })

  it('after Accept all: one reload, then the tag runs once and the tracker\'s paths load; the unruled host stays blocked', async () => {
    const page = await open(path)
    await decideAndReload(page, 'acceptAll')
    expect(site.hits(path)).toHaveLength(2)
    await page.waitForFunction(() => (window as StrictWindow).order?.length === 1)
    expect(await page.evaluate(() => (window as StrictWindow).order)).toEqual(['tag'])
    expect(hits('/tag.js')).toBe(1)
    for (const p of ['/es', '/mod.js', '/w.js', '/bg.gif', '/imp.css']) expect(hits(p), p).toBeGreaterThan(0)
    expect(other.requests).toEqual([])
    // No second reload: the hint now matches the policy the page was served with.
    await page.waitForTimeout(300)
    expect(site.hits(path)).toHaveLength(2)
  })

  it('after Reject all: no reload needed, and the next page view sends nothing either', async () => {
    const page = await open(path)
    await page.evaluate(() => window.MinopioConsent.rejectAll())
    for (const s of [tracker, other]) s.requests.length = 0
    await page.reload()
    await settle(page)
    expect(site.hits(path)).toHaveLength(2)
    expect(thirdParty().filter((p) => !scanned.includes(p))).toEqual([])
  })
})

describe('without strict mode', () => {
  it('JavaScript interception alone lets these paths reach the tracker: the reason strict mode exists', async () => {
    await open('/plain')
    const seen = thirdParty()
    const leaked = Object.entries(PATHS).filter(([, p]) => seen.includes(p)).map(([name]) => name)
    // Every path but the DOMParser-built node, which the observer holds before its fetch starts.
    expect(leaked).toEqual(Object.keys(PATHS).filter((name) => name !== 'DOMParser-built <img> inserted'))
    expect(seen).toContain('/unruled')
  })

  it('strict: true with the plain gate fails closed with one error naming the file to load', async () => {
    context = await chrome.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    await page.goto(site.url('/plain-strict'))
    expect(await page.evaluate(() => window.MinopioConsent.ready.then((s) => s.reason))).toBe('invalid-config')
    expect(errors.filter((e) => e.includes('[minopio-consent]'))).toEqual([expect.stringContaining('strict: true needs minopio-consent-strict.js')])
  })
})
