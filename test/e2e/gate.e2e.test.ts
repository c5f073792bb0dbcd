import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { closeAll, sitePage, startSuite, networkQuiet } from './harness'
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
  await networkQuiet(page)
}
const RAN_ON_ACCEPT = ['analytics', 'as-analytics', 'ce', 'ce-attr', 'inline', 'lib', 'm2', 'plain']

// Requests made by page code: before consent they must not leave the browser, after it they pass untouched.
const NET = () => `<iframe src="${T}/plain-frame.html"></iframe>
<script>
  window.probe = async (T) => {
    const out = {}
    const fetched = (url) => fetch(url).then((r) => r.text(), (e) => e.name + ': ' + e.message)
    const xhr = (url) => new Promise((done) => {
      const x = new XMLHttpRequest()
      x.onload = () => done('load ' + x.status + ' ' + x.responseText)
      x.onerror = () => done('error, readyState ' + x.readyState)
      x.open('GET', url)
      x.send()
    })
    out.fetch = await fetched(T + '/f')
    out.xhr = await xhr(T + '/x')
    out.beacon = navigator.sendBeacon(T + '/b', 'data')
    out.sameFetch = await fetched('/same')
    out.sameXhr = await xhr('/same')
    out.sameBeacon = navigator.sendBeacon('/same', 'data')
    const img = new Image()
    window.imageLoaded = new Promise((done) => { img.onload = () => done('load'); img.onerror = () => done('error') })
    img.src = T + '/i.gif'
    return out
  }
</script>`

// First-party scripts of every flavour log what they saw; the page must log the same with and without the SDK.
const FIRST_PARTY: Record<string, string> = {
  defer: `'defer ' + document.currentScript.src.endsWith('/defer.js')`,
  async: `'async ' + document.currentScript.async`,
  module: `'module ' + typeof import.meta.url + ' ' + (document.currentScript === null)`,
  dynamic: `'dynamic ' + document.currentScript.src.endsWith('/dynamic.js')`,
}
const UNRELATED = `
<script src="/defer.js" defer></script>
<script src="/async.js" async></script>
<script type="module" src="/module.js"></script>
<script id="inline">(window.log = window.log || []).push('inline ' + document.currentScript.id)</script>
<script>
  const s = document.createElement('script')
  s.src = '/dynamic.js'
  s.onload = () => log.push('dynamic onload, async ' + s.async)
  document.head.append(s)
  const img = new Image()
  img.onload = () => log.push('image ' + img.naturalWidth)
  img.src = '/first-party-pixel.gif'
</script>`

const CSP_PAGE = () => `<!doctype html><html><head><meta charset="utf-8">
<script nonce="n0nce">window.minopioConsentConfig = ${config()}</script>
<script src="/dist/minopio-consent.js"></script></head><body>
<script type="text/plain" data-consent="marketing" nonce="n0nce">(window.order = window.order || []).push('nonced')</script>
<script type="text/plain" data-consent="marketing" nonce="n0nce" data-type="module">window.order.push('module ' + typeof import.meta.url)</script>
<script type="text/plain" data-consent="marketing">window.order.push('no nonce')</script>
</body></html>`

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  T = tracker.origin
  tracker.route('/m-lib.js', js('lib', `window.lib = { push: (x) => window.order.push(x) }; document.cookie = '_fbp=fb.1; path=/'; document.cookie = '_gcl_au=1.2; path=/'`))
  tracker.route('/m2.js', js('m2'))
  tracker.route('/analytics/a.js', js('analytics'))
  tracker.route('/as-analytics.js', js('as-analytics'))
  for (const name of ['plain', 'ce', 'ce-attr', 'ih']) tracker.route(`/${name}.js`, js(name))
  tracker.route('/frame-ran', { body: '', status: 204 })
  for (const name of ['p-frame', 'ce-frame', 'ih-frame', 'iah-frame', 'plain-frame']) tracker.route(`/${name}.html`, FRAME)
  site.route('/', sitePage(config(), MARKUP()))
  site.route('/net', sitePage(config(), NET()))
  site.route('/same', 'first-party')
  for (const path of ['/f', '/x', '/b']) tracker.route(path, 'tracked')
  for (const [name, code] of Object.entries(FIRST_PARTY)) site.route(`/${name}.js`, { body: `(window.log = window.log || []).push(${code})`, type: 'text/javascript' })
  site.route('/unrelated', sitePage(config(), UNRELATED))
  site.route('/unrelated-without-sdk', `<!doctype html><html><head><meta charset="utf-8"></head><body>${UNRELATED}</body></html>`)
  site.route('/csp', { body: CSP_PAGE(), type: 'text/html', headers: { 'Content-Security-Policy': `script-src 'self' 'nonce-n0nce' ${T}` } })
})
afterAll(() => closeAll(chrome, site, tracker))
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
  it('downloads released scripts in parallel and still runs them in document order', async () => {
    // The tracker answers none of the three until it has received all three: released one after another, they
    // would wait for the timeout instead, and `together` would stay false.
    const held: Array<() => void> = []
    let together = false
    for (const n of [1, 2, 3]) {
      tracker.route(`/par${n}.js`, (_req, res) => {
        held.push(() => res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(`(window.order = window.order || []).push('par${n}')`))
        if (held.length === 3) {
          together = true
          held.forEach((answer) => answer())
        } else setTimeout(() => held.length < 3 && held.splice(0).forEach((answer) => answer()), 3000)
      })
    }
    site.route('/parallel', sitePage(config(), [1, 2, 3].map((n) => `<script type="text/plain" data-consent="marketing" src="${T}/par${n}.js"></script>`).join('') +
      `<script type="text/plain" data-consent="marketing">window.order.push('inline after')</script>`))
    const page = await fresh('/parallel')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => (window as GateWindow).order?.length === 4)
    expect(await order(page)).toEqual(['par1', 'par2', 'par3', 'inline after'])
    expect(together).toBe(true)
  })

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
    expect(await page.evaluate(() => window.MinopioConsent.get().change)).toBe(null)
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

  it('runs a parsed iframe that matches a rule only after consent', async () => {
    const page = await fresh('/net')
    await settle(page)
    expect(tracker.hits('/frame-ran')).toEqual([])
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await expect.poll(() => tracker.hits('/frame-ran').length).toBe(1)
  })

  it('restores the CSP nonce and a module type when it releases a script', async () => {
    const page = await fresh('/csp')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => (window as GateWindow).order?.length === 2)
    await settle(page)
    // The third script has no nonce: the site's CSP still refuses it, the gate adds no way around the policy.
    expect(await order(page)).toEqual(['nonced', 'module string'])
  })
})

describe('requests made by page code', () => {
  it('refuses fetch, XHR, sendBeacon and new Image() to a tracker before consent, without a byte reaching it', async () => {
    const page = await fresh('/net')
    const out = await page.evaluate((t) => (window as unknown as { probe(t: string): Promise<object> }).probe(t), T)
    await networkQuiet(page)
    expect(out).toEqual({
      fetch: `TypeError: [minopio-consent] request refused until consent: ${T}/f`,
      xhr: 'error, readyState 4',
      beacon: false,
      sameFetch: 'first-party', sameXhr: 'load 200 first-party', sameBeacon: true,
    })
    expect(tracker.requests.map((r) => r.path).filter((p) => p !== '/plain-frame.html')).toEqual([])
    const refused = await page.evaluate(() => window.MinopioConsent.audit().map((t) => `${t.kind} ${t.state} ${t.url}`))
    expect(refused).toEqual(expect.arrayContaining([`fetch blocked ${T}/f`, `xhr blocked ${T}/x`, `beacon blocked ${T}/b`, `img blocked ${T}/i.gif`]))
  })

  it('lets the same requests through untouched after consent, and loads the held image', async () => {
    const page = await fresh('/net')
    await page.evaluate((t) => (window as unknown as { probe(t: string): Promise<object> }).probe(t), T)
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    expect(await page.evaluate(() => (window as unknown as { imageLoaded: Promise<string> }).imageLoaded)).toBe('load')
    const out = await page.evaluate((t) => (window as unknown as { probe(t: string): Promise<object> }).probe(t), T)
    expect(out).toMatchObject({ fetch: 'tracked', xhr: 'load 200 tracked', beacon: true })
    // One image request: the second new Image() of the same URL is served from the document's list of available images.
    await expect.poll(() => ['/f', '/x', '/b', '/i.gif'].map(hits)).toEqual([1, 1, 1, 1])
  })
})

describe('unrelated scripts', () => {
  it('behave exactly as without the SDK: defer, async, module, inline and dynamic scripts, currentScript, onload', async () => {
    const logOf = async (path: string) => {
      const page = await context.newPage()
      await page.goto(site.url(path))
      await page.waitForFunction(() => (window as unknown as { log?: string[] }).log?.length === 7)
      return page.evaluate(() => [...(window as unknown as { log: string[] }).log].sort())
    }
    context = await chrome.newContext()
    const without = await logOf('/unrelated-without-sdk')
    expect(without).toEqual([
      'async true', 'defer true', 'dynamic onload, async true', 'dynamic true', 'image 1', 'inline inline', 'module string true',
    ])
    expect(await logOf('/unrelated')).toEqual(without)
  })
})
