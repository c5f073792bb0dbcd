import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, sitePage, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'

type GateWindow = Window & { order?: string[]; events?: string[]; lib?: unknown }

let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let context: BrowserContext
let T: string

// Every tracker script records that it ran in window.order; frames ping /frame-ran when their code runs.
const js = (name: string, extra = '') => ({ body: `(window.order = window.order || []).push(${JSON.stringify(name)});${extra}`, type: 'text/javascript' })
const FRAME = { body: `<!doctype html><script>fetch('/frame-ran?' + location.pathname)</script>`, type: 'text/html' }

const config = (extra = '') => `{
  rules: [{ match: '${T.slice(7)}/analytics', category: 'analytics' }, { match: '${T.slice(7)}', category: 'marketing' }],
  clearOnRevoke: { marketing: ['_fbp', /^_gcl_/] }, ${extra}
}`

const MARKUP = () => `
<script type="text/plain" data-consent="marketing" src="${T}/m-lib.js" id="lib" crossorigin="anonymous" referrerpolicy="no-referrer" data-vendor="acme"></script>
<script type="text/plain" data-consent="marketing">window.lib.push('inline')</script>
<script type="text/plain" data-consent="marketing" src="${T}/m2.js"></script>
<script type="text/plain" data-consent="analytics" src="${T}/analytics/a.js"></script>
<script type="text/plain" data-consent="analytics" src="${T}/as-analytics.js"></script>
<iframe data-consent="partners" data-src="${T}/p-frame.html"></iframe>
<img data-consent="marketing" data-src="${T}/m-pixel.gif" alt="">
<img data-consent="marketing partners" data-src="${T}/mp-pixel.gif" alt="">
<script src="${T}/plain.js"></script>
<script>
  window.events = []
  const T = ${JSON.stringify(T)}
  const s = document.createElement('script'); s.src = T + '/ce.js'; s.onload = () => events.push('ce onload'); document.head.appendChild(s)
  const s2 = document.createElement('script'); s2.setAttribute('src', T + '/ce-attr.js'); document.head.append(s2)
  new Image().src = T + '/new-image.gif'
  const f = document.createElement('iframe'); f.src = T + '/ce-frame.html'; document.body.append(f)
  const box = document.createElement('div')
  box.innerHTML = '<img src="' + T + '/ih.gif"><iframe src="' + T + '/ih-frame.html"></iframe><script src="' + T + '/ih.js"><\\/script>'
  document.body.append(box)
  document.body.insertAdjacentHTML('beforeend', '<img src="' + T + '/iah.gif"><iframe src="' + T + '/iah-frame.html"></iframe>')
</script>`

// What the gate itself cannot stop: the preload scanner fetches a parser-inserted <script src> (it never runs).
const PRELOADED = ['/plain.js']
const leaks = () => tracker.requests.map((r) => r.path).filter((p) => !PRELOADED.includes(p))
const hits = (path: string) => tracker.requests.filter((r) => r.path === path).length
const order = (page: Page) => page.evaluate(() => (window as GateWindow).order ?? [])
// Released tags have loaded or failed (so their requests are done), and the network is quiet.
const settle = async (page: Page) => {
  await page.waitForFunction(() => window.MinopioConsent.audit().every((t) => t.state !== 'released'))
  await page.waitForLoadState('networkidle')
}
const RAN_ON_ACCEPT = ['analytics', 'as-analytics', 'ce', 'ce-attr', 'inline', 'lib', 'm2', 'plain']

beforeAll(async () => {
  chrome = await launchChromium()
  site = await startServer()
  tracker = await startServer()
  T = tracker.origin
  tracker.route('/m-lib.js', js('lib', `window.lib = { push: (x) => window.order.push(x) }; document.cookie = '_fbp=fb.1; path=/'; document.cookie = '_gcl_au=1.2; path=/'`))
  tracker.route('/m2.js', js('m2'))
  tracker.route('/analytics/a.js', js('analytics'))
  tracker.route('/as-analytics.js', js('as-analytics'))
  for (const name of ['plain', 'ce', 'ce-attr', 'ih']) tracker.route(`/${name}.js`, js(name))
  tracker.route('/frame-ran', { body: '', status: 204 })
  for (const name of ['p-frame', 'ce-frame', 'ih-frame', 'iah-frame', 'plain-frame']) tracker.route(`/${name}.html`, FRAME)
  site.route('/', sitePage(config(), MARKUP()))
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
  await tracker?.close()
})
afterEach(async () => {
  await context?.close()
  tracker.requests.length = 0
})

const open = async (path = '/') => {
  context ??= await chrome.newContext()
  const page = await context.newPage()
  await page.goto(site.url(path))
  await page.evaluate(() => window.MinopioConsent.ready)
  return page
}
const fresh = async (path = '/') => {
  context = await chrome.newContext()
  return open(path)
}

describe('the tracking gate in Chromium', () => {
  it('sends nothing to the tracker and runs none of its code before any decision', async () => {
    const page = await fresh()
    await settle(page)
    expect(leaks()).toEqual([])
    expect(await order(page)).toEqual([])
    const audit = await page.evaluate(() => window.MinopioConsent.audit().map((t) => `${t.kind} ${t.via} ${t.state} ${t.category}`))
    expect(audit).toEqual(expect.arrayContaining([
      'script markup blocked marketing', 'iframe markup blocked partners', 'img markup blocked marketing partners',
      'script rule blocked marketing', 'img rule blocked marketing', 'iframe rule blocked marketing',
    ]))
    expect(audit.every((t) => t.includes(' blocked '))).toBe(true)
  })

  it('sends nothing and runs nothing after reject all, on this page and after a reload', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.rejectAll())
    await settle(page)
    await page.reload()
    await page.evaluate(() => window.MinopioConsent.ready)
    await settle(page)
    expect(leaks()).toEqual([])
    expect(await order(page)).toEqual([])
  })

  it('runs every gated tag exactly once after accept all in the same page view, markup in document order', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction((n) => (window as GateWindow).order?.length === n, RAN_ON_ACCEPT.length)
    await page.evaluate(() => window.MinopioConsent.set({ analytics: true }))
    await settle(page)
    const ran = await order(page)
    expect([...ran].sort()).toEqual(RAN_ON_ACCEPT)
    // The inline script after the library found window.lib: it ran after the library had loaded.
    expect(ran.filter((x) => ['lib', 'inline', 'm2', 'analytics', 'as-analytics'].includes(x))).toEqual(['lib', 'inline', 'm2', 'analytics', 'as-analytics'])
    for (const path of ['/m-lib.js', '/m2.js', '/ce.js', '/ce-attr.js', '/new-image.gif', '/m-pixel.gif', '/mp-pixel.gif', '/ih.gif', '/iah.gif']) expect(hits(path), path).toBe(1)
    // A <script> inside innerHTML never runs without the SDK, so it does not run with it either.
    expect(hits('/ih.js')).toBe(0)
    await expect.poll(() => tracker.hits('/frame-ran').map((r) => r.url.split('?')[1]).sort()).toEqual(['/ce-frame.html', '/iah-frame.html', '/ih-frame.html', '/p-frame.html'])
    expect(await page.evaluate(() => (window as GateWindow).events)).toEqual(['ce onload'])
    const states = await page.evaluate(() => window.MinopioConsent.audit().map((t) => t.state))
    expect(states.filter((s) => s !== 'loaded')).toEqual([])

    tracker.requests.length = 0
    await page.reload()
    await page.evaluate(() => window.MinopioConsent.ready)
    await page.waitForFunction((n) => (window as GateWindow).order?.length === n, RAN_ON_ACCEPT.length)
    await settle(page)
    expect([...(await order(page))].sort()).toEqual(RAN_ON_ACCEPT)
    expect(hits('/m-lib.js')).toBe(1)
  })

  it('keeps the attributes of a released script: id, crossorigin, referrerpolicy and data-*', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => (window as GateWindow).lib)
    const lib = await page.evaluate(() => {
      const s = document.getElementById('lib') as HTMLScriptElement
      return { type: s.type, crossOrigin: s.crossOrigin, referrerPolicy: s.referrerPolicy, vendor: s.dataset.vendor, async: s.async }
    })
    expect(lib).toEqual({ type: '', crossOrigin: 'anonymous', referrerPolicy: 'no-referrer', vendor: 'acme', async: false })
  })

  it('releases analytics tags, and nothing else, on analytics-only consent (markup beats a marketing rule)', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.set({ analytics: true }))
    await page.waitForFunction(() => (window as GateWindow).order?.length === 2)
    await settle(page)
    expect(await order(page)).toEqual(['analytics', 'as-analytics'])
    expect(leaks().sort()).toEqual(['/analytics/a.js', '/as-analytics.js'])
  })

  it('needs every listed category: marketing alone does not load a "marketing partners" pixel', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.set({ marketing: true }))
    await page.waitForFunction(() => (window as GateWindow).order?.includes('m2'))
    await settle(page)
    expect(hits('/m-pixel.gif')).toBe(1)
    expect(hits('/mp-pixel.gif')).toBe(0)
    expect(hits('/p-frame.html')).toBe(0)
  })

  it('on withdraw deletes the category cookies, reloads, and runs nothing of it afterwards', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => (window as GateWindow).order?.includes('m2'))
    const names = async () => (await context.cookies()).map((c) => c.name)
    expect(await names()).toEqual(expect.arrayContaining(['_fbp', '_gcl_au']))
    const reloaded = page.waitForEvent('load')
    await page.evaluate(() => void window.MinopioConsent.withdraw())
    await reloaded
    await page.evaluate(() => window.MinopioConsent.ready)
    tracker.requests.length = 0
    await settle(page)
    expect(await names()).not.toContain('_fbp')
    expect(await names()).not.toContain('_gcl_au')
    expect(await names()).toContain('minopio_consent')
    expect(await page.evaluate(() => window.MinopioConsent.get().action)).toBe(null)
    expect(await order(page)).toEqual([])
    expect(leaks()).toEqual([])
  })

  it('releases nothing from a tampered consent cookie', async () => {
    const page = await fresh()
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await settle(page)
    const cookie = (await context.cookies()).find((c) => c.name === 'minopio_consent')!
    const last = cookie.value.at(-1) === 'A' ? 'B' : 'A'
    await context.addCookies([{ ...cookie, value: cookie.value.slice(0, -1) + last }])
    tracker.requests.length = 0
    await page.reload()
    expect(await page.evaluate(() => window.MinopioConsent.ready.then((s) => s.reason))).toBe('unreadable')
    await settle(page)
    expect(leaks()).toEqual([])
    expect(await order(page)).toEqual([])
  })
})
