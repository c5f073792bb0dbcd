import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { consentPolicy } from '../../src/server'
import { closeAll, startServer, startSuite } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { HELD, NAVIGATIONS, PARSED, PATHS, strictPage } from './strict-paths'

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

// Blocked in strict mode even after consent: the policy has no data:/blob: frames and keeps <base> on the site.
const AFTER_ACCEPT_BLOCKED = ['/data.gif', '/blob.gif', '/base.gif']
// What the plain gate stops (the held tags aside); every other path leaks without strict mode.
const PLAIN_STOPS = [
  'document.write split across calls into a friendly iframe, after load',
  'DOMParser-built <img> inserted',
  'importNode of a DOMParser-built <img>',
  'Document.parseHTMLUnsafe node inserted',
  '<template> content cloned and inserted',
  '<template> content adopted (adoptNode) and inserted',
  'setAttributeNode(src) on an <img>',
  'Attr.value of an <img> src',
  '<base href> at the tracker, then a relative <img>',
  'document.write of one tag split across calls, while parsing',
  'setAttributeNode(src) on a <script>',
  'Attr.value of a <script> src before insertion',
  'SVG <image href>',
  'SVG <script href>',
]

const config = () => ({ strict: true, rules: [{ match: T.slice(7), category: 'marketing' }] })

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  other = await startServer()
  T = tracker.origin
  U = other.origin
  for (const { path, runs } of HELD) if (runs) tracker.route(path, { body: `(window.order = window.order || []).push(${JSON.stringify(runs)})`, type: 'text/javascript' })
  for (const p of ['/mod.js', '/static.js', '/w.js', '/sw.js', '/svg-script.js', '/attr-node.js', '/attr-value.js', '/pre.js', '/mp.js']) tracker.route(p, { body: '', type: 'text/javascript' })
  for (const p of ['/imp.css', '/parsed.css']) tracker.route(p, { body: '', type: 'text/css' })
  for (const p of ['/popup', '/form', '/assign', '/refresh', '/parsed-frame']) tracker.route(p, '<!doctype html><title>tracker</title>')
  // 204: an EventSource that must not reconnect (a reconnecting one would keep the network busy forever).
  tracker.route('/es', { body: '', status: 204 })
  const PAGE = (gate: string, cfg: object) => strictPage(gate, cfg, T, U)
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
const thirdParty = () => [...tracker.requests, ...other.requests].map((r) => r.path)
// Decides, then follows the one reload a widening grant needs in strict mode.
const decideAndReload = async (page: Page, decide: 'acceptAll' | 'rejectAll') => {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 15_000 })
  await page.evaluate((d) => void window.MinopioConsent[d](), decide)
  await navigated
  await settle(page)
}
const NAVIGATED = NAVIGATIONS.map((n) => n.path)
const order = (page: Page) => page.evaluate(() => [...((window as StrictWindow).order ?? [])].sort())
const RUNS = HELD.flatMap((h) => (h.runs ? [h.runs] : [])).sort()

describe.each([
  ['a <meta> the strict gate inserts', '/meta', PARSED.filter((p) => !p.meta).map((p) => p.path)],
  ['a response header from consentPolicy() and the <meta>', '/header', []],
])('strict mode, policy from %s', (_tier, path, scanned) => {
  describe('before any decision', () => {
    let seen: string[] = []
    let ran: string[] = []
    beforeAll(async () => {
      const page = await open(path)
      seen = thirdParty()
      ran = await order(page)
      await context.close()
    })
    it.each(PATHS.map((p) => [p.name, p.path]))('%s sends nothing', (_name, p) => {
      expect(seen).not.toContain(p)
    })
    it('a third party no rule names sends nothing either', () => {
      expect(seen).not.toContain('/unruled')
    })
    it.each(PARSED.map((p) => [p.name, p.path]))(`%s: ${scanned.length ? 'sends nothing unless the preload scanner fetches it (only a header stops that)' : 'sends nothing'}`, (_name, p) => {
      expect(seen.includes(p)).toBe(scanned.includes(p))
    })
    it.each(HELD.map((h) => [h.name, h.path]))('held tag, %s: never reaches the tracker', (_name, p) => {
      expect(seen).not.toContain(p)
    })
    it('no held script ran', () => {
      expect(ran).toEqual([])
    })
    it.each(NAVIGATIONS.map((n) => [n.name, n.path]))('%s reaches the tracker anyway (a known leak: a popup is a new page no policy of this one governs)', (_name, p) => {
      expect(seen).toContain(p)
    })
  })

  describe('after Accept all (one reload)', () => {
    let seen: string[] = []
    let ran: string[] = []
    let loads = 0
    beforeAll(async () => {
      const page = await open(path)
      await decideAndReload(page, 'acceptAll')
      await page.waitForFunction((n) => (window as StrictWindow).order?.length === n, RUNS.length)
      seen = thirdParty()
      ran = await order(page)
      // No second reload: the hint now matches the policy the page was served with.
      await page.waitForTimeout(300)
      loads = site.hits(path).length
      await context.close()
    })
    it('the page was loaded twice: the first view and the one reload', () => {
      expect(loads).toBe(2)
    })
    it.each(HELD.map((h) => [h.name, h.path]))('held tag, %s: reaches the tracker exactly once', (_name, p) => {
      expect(seen.filter((x) => x === p)).toHaveLength(1)
    })
    it('every held script ran exactly once', () => {
      expect(ran).toEqual(RUNS)
    })
    it.each(PATHS.filter((p) => !AFTER_ACCEPT_BLOCKED.includes(p.path)).map((p) => [p.name, p.path]))('%s now reaches the tracker', (_name, p) => {
      expect(seen).toContain(p)
    })
    it.each(PATHS.filter((p) => AFTER_ACCEPT_BLOCKED.includes(p.path)).map((p) => [p.name, p.path]))('%s stays blocked even after consent (the policy\'s price)', (_name, p) => {
      expect(seen).not.toContain(p)
    })
    it('the unruled host stays blocked', () => {
      expect(seen).not.toContain('/unruled')
    })
  })

  it('after Reject all: no reload needed, and the next page view sends nothing either (but the popup)', async () => {
    const page = await open(path)
    await page.evaluate(() => window.MinopioConsent.rejectAll())
    expect(thirdParty().filter((p) => HELD.some((h) => h.path === p))).toEqual([])
    for (const s of [tracker, other]) s.requests.length = 0
    await page.reload()
    await settle(page)
    expect(site.hits(path)).toHaveLength(2)
    expect(thirdParty().filter((p) => !scanned.includes(p) && !NAVIGATED.includes(p))).toEqual([])
    expect(await order(page)).toEqual([])
  })
})

describe('without strict mode', () => {
  it('JavaScript interception alone lets exactly these paths reach the tracker: the reason strict mode exists', async () => {
    await open('/plain')
    const seen = thirdParty()
    const all = [...PATHS, ...NAVIGATIONS, ...PARSED]
    const leaked = all.filter((p) => seen.includes(p.path)).map((p) => p.name)
    expect(leaked).toEqual(all.map((p) => p.name).filter((name) => !PLAIN_STOPS.includes(name)))
    // The held tags are the gate's own job: none reached the tracker.
    expect(seen.filter((p) => HELD.some((h) => h.path === p))).toEqual([])
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
