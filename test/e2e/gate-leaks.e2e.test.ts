import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { closeAll, sitePage, startSuite, networkQuiet } from './harness'
import type { TestBrowser, TestServer } from './harness'

// The paths the first gate left open: document.write, srcset, the other HTML-string sinks, setAttributeNS and links.
// A second server is the tracker: every request it gets is counted; its scripts record that they ran in window.order.
type LeakWindow = Window & { order?: string[]; log?: string[]; flog?: string[]; slog?: string[] }

let chrome: TestBrowser
let site: TestServer
let tracker: TestServer
let context: BrowserContext
let T: string

const js = (name: string) => ({ body: `(window.order = window.order || []).push(${JSON.stringify(name)})`, type: 'text/javascript' })
const own = (name: string) => ({ body: `(window.log = window.log || []).push(${JSON.stringify(name)})`, type: 'text/javascript' })
const FRAME = { body: `<!doctype html><script>fetch('/frame-ran?' + location.pathname)</script>`, type: 'text/html' }
const config = () => `{ rules: [{ match: '${T.slice(7)}', category: 'marketing' }] }`

// Old ad tags: document.write while the page parses, from an inline script and from a parser-blocking one (/writer.js).
const WRITE = () => `
<script>
  document.write('<script src="${T}/dw.js"><\\/script>')
  document.writeln('<img src="${T}/dw.gif" alt=""><iframe src="${T}/dw-frame.html"></iframe>')
  document.write('<scr', 'ipt src="${T}/dw-split.js"></scr', 'ipt>')
  document.write('<link rel="stylesheet" href="${T}/dw.css"><img srcset="${T}/dw-set.gif 1x" alt="">')
</script>
<script src="/writer.js"></script>
<script>window.log.push('after writer')</script>`
const WRITER = `document.write('<script src="${'$T'}/ad.js"><\\/script><img src="${'$T'}/ad.gif" alt="">')
document.write('<script src="/own-written.js"><\\/script>')
window.log = ['writer']`

// Every other sink, driven by page code after the gate started.
const SINKS = () => `
<span id="oh"></span><div id="host"></div><div id="box"></div><div id="shu"></div>
<script>
  const T = ${JSON.stringify(T)}
  const a = new Image(); a.srcset = T + '/set-prop.gif 1x'
  const b = document.createElement('img'); b.setAttribute('srcset', T + '/set-attr.gif 1x, /own.gif 2x'); document.body.append(b)
  box.innerHTML = '<picture><source srcset="' + T + '/pic.gif"><img src="/own-pic.gif"></picture><img srcset="' + T + '/ih-set.gif 1x">'
  oh.outerHTML = '<img src="' + T + '/oh.gif">'
  host.attachShadow({ mode: 'open' }).innerHTML = '<img src="' + T + '/sr.gif"><iframe src="' + T + '/sr-frame.html"></iframe>'
  document.body.append(document.createRange().createContextualFragment('<script src="' + T + '/ccf.js"><\\/script><img src="' + T + '/ccf.gif">'))
  shu.setHTMLUnsafe('<img src="' + T + '/shu.gif"><script src="' + T + '/shu.js"><\\/script>')
  const n = new Image(); n.setAttributeNS(null, 'src', T + '/ns.gif')
  const ns = document.createElement('script'); ns.setAttributeNS(null, 'src', T + '/ns.js'); document.head.append(ns)
  const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = T + '/l.css'; document.head.append(l)
  const l2 = document.createElement('link'); l2.setAttribute('rel', 'preload'); l2.setAttribute('as', 'script'); l2.setAttribute('href', T + '/preload.js'); document.head.append(l2)
  const l3 = document.createElement('link'); l3.rel = 'modulepreload'; l3.href = T + '/mp.js'; document.head.append(l3)
  document.head.insertAdjacentHTML('beforeend', '<link rel="prefetch" href="' + T + '/pf.txt">')
</script>`

// "Friendly" iframes: same-origin frames page code writes an ad into. Their tracker scripts record in the top window.
const FRIENDLY = () => `
<div id="box"></div>
<script>
  const T = ${JSON.stringify(T)}
  const w = document.createElement('iframe'); document.body.append(w)
  const d = w.contentDocument
  d.open(); d.write('<!doctype html><body><script src="' + T + '/fw.js"><\\/script><img src="' + T + '/fw.gif"></body>'); d.close()
  const c = document.createElement('iframe'); document.body.append(c)
  const cd = c.contentWindow.document
  const s = cd.createElement('script'); s.src = T + '/fc.js'; cd.head.append(s)
  const i = cd.createElement('img'); i.setAttribute('src', T + '/fc.gif'); cd.body.append(i)
  const p = document.createElement('iframe'); p.srcdoc = '<script src="' + T + '/sd.js"><\\/script><img src="' + T + '/sd.gif">'; document.body.append(p)
  const a = document.createElement('iframe'); a.setAttribute('srcdoc', '<img srcset="' + T + '/sda.gif 1x">'); document.body.append(a)
  box.innerHTML = '<iframe srcdoc="<script src=&quot;' + T + '/ihsd.js&quot;><\\/script>"></iframe>'
  // Reached through window.frames, past the iframe getters: the frame was adopted when its about:blank loaded.
  document.body.append(document.createElement('iframe'))
  const fr = frames[frames.length - 1].document
  fr.write('<img src="' + T + '/fr.gif">'); fr.close()
</script>`

// Media and plugin elements set by page code.
const MEDIA = () => `
<div id="box"></div>
<script>
  const T = ${JSON.stringify(T)}
  const v = document.createElement('video'); v.src = T + '/v.mp4'; v.poster = T + '/poster.gif'; document.body.append(v)
  const v2 = document.createElement('video'); v2.setAttribute('src', T + '/v2.mp4'); v2.setAttribute('poster', T + '/poster2.gif'); document.body.append(v2)
  const au = document.createElement('audio'); au.src = T + '/a.mp3'; document.body.append(au)
  window.au2 = new Audio(T + '/a2.mp3')
  const o = document.createElement('object'); o.data = T + '/o.html'; document.body.append(o)
  const o2 = document.createElement('object'); o2.setAttribute('data', T + '/o2.html'); document.body.append(o2)
  const e = document.createElement('embed'); e.src = T + '/e.html'; document.body.append(e)
  box.innerHTML = '<video src="' + T + '/ihv.mp4" poster="' + T + '/ihp.gif"></video><object data="' + T + '/iho.html"></object>'
</script>`

// First-party content through the same sinks: the page must see the same with and without the SDK.
const UNRELATED = `
<div id="out"><script>
  window.log = []
  document.write('<script src="/w1.js"><\\/script><img src="/pixel-w.gif" alt="w"><p class=x>written</p>')
  document.write('<scr', 'ipt>log.push("inline written " + out.getElementsByTagName("script").length)</scr', 'ipt>')
</script><script>log.push('after write')</script>
<template id="tpl"></template><div id="ih"></div>
<script>
  tpl.innerHTML = '<img src="/pixel-t.gif" alt="a&amp;b"><script src="/never.js"><\\/script>'
  ih.innerHTML = '<img src="/pixel-i.gif" title="x>y"><iframe src="/frame.html"></iframe><script>log.push("never")<\\/script>'
  document.body.append(document.createRange().createContextualFragment('<script src="/c1.js"><\\/script><script>log.push("ccf inline")<\\/script>'))
</script></div>
<iframe id="ff"></iframe><iframe id="sd"></iframe><div id="media"></div>
<script>
  window.flog = []
  const fd = ff.contentDocument
  fd.open(); fd.write('<!doctype html><p class=x>friendly</p><img src="/pixel-f.gif" alt="f"><script src="/f1.js"><\\/script><script>top.flog.push("frame inline")<\\/script>'); fd.close()
  sd.srcdoc = '<p>srcdoc &amp; more</p><img src="/pixel-s.gif"><iframe srcdoc="<b>in</b>"></iframe><script src="/s1.js"><\\/script>'
  const v = document.createElement('video'); v.poster = '/pixel-v.gif'; v.src = '/v.mp4'
  const o = document.createElement('object'); o.setAttribute('data', '/frame.html')
  media.append(v, o)
</script>`

// Patterns that used to misfire for a visitor who agreed.
// An "activate scripts" helper: copies each innerHTML-inserted script into a new one, as many widgets do.
// A copy of a written (so started, then held) script: natively a copy of a started script never runs.
const MISFIRES = () => `
<div id="box"></div><div id="dsd"></div>
<script>document.write('<script src="${T}/cloned.js"><\\/script>')</script>
<script>
  const T = ${JSON.stringify(T)}
  const written = document.querySelector('script[src$="/cloned.js"]')
  document.body.append(written.cloneNode(true), document.importNode(written, true))
  const wrap = document.createElement('div'); wrap.append(written.cloneNode()); document.body.append(wrap.cloneNode(true))
  box.innerHTML = '<script src="' + T + '/copied.js"><\\/script>'
  for (const old of box.querySelectorAll('script')) {
    const s = document.createElement('script')
    for (const a of old.attributes) s.setAttribute(a.name, a.value)
    old.replaceWith(s)
  }
  dsd.setHTMLUnsafe('<div><template shadowrootmode="open"><img src="' + T + '/dsd.gif"><iframe src="' + T + '/dsd-frame.html"></iframe></template></div>')
</script>`
// Paths closed in JavaScript after the strict-mode work showed them open (issue 17): Attr writes, one tag split across
// document.write calls while the page parses, and URLs in SVG href attributes.
const CLOSED = () => `
<svg id="svg" width="10" height="10"><filter id="fe"></filter><rect width="10" height="10" filter="url(#fe)"/></svg>
<script>
  document.write('<img alt="" src="${T}/sw-'); document.write('split.gif">')
  document.write('<script src="'); document.write('${T}/sw.js'); document.write('"><\\/script>')
</script>
<script>
  const T = ${JSON.stringify(T)}
  const an = document.createElement('img'); const a1 = document.createAttribute('src'); a1.value = T + '/an.gif'; an.setAttributeNode(a1); document.body.append(an)
  const av = document.createElement('img'); av.setAttribute('src', '/pixel-av.gif'); document.body.append(av); av.getAttributeNode('src').value = T + '/av.gif'
  const sv = document.createElement('script'); sv.setAttribute('src', '/own-av.js'); sv.getAttributeNode('src').value = T + '/av.js'; document.body.append(sv)
  const sn = document.createElement('script'); const a2 = document.createAttribute('src'); a2.value = T + '/an.js'; sn.setAttributeNode(a2); document.body.append(sn)
  const NS = 'http://www.w3.org/2000/svg'
  const im = document.createElementNS(NS, 'image'); im.setAttribute('href', T + '/svg.gif'); svg.append(im)
  const xl = document.createElementNS(NS, 'image'); xl.setAttributeNS('http://www.w3.org/1999/xlink', 'xlink:href', T + '/xlink.gif'); svg.append(xl)
  const fe = document.createElementNS(NS, 'feImage'); fe.setAttribute('href', T + '/fe.gif'); document.getElementById('fe').append(fe)
  const ss = document.createElementNS(NS, 'script'); ss.setAttribute('href', T + '/svg.js'); svg.append(ss)
</script>`
// Requests a page makes in <head> right after the gate, before the stored consent is read.
const EARLY = () => `<script>
  const T = ${JSON.stringify(T)}
  window.early = {}
  fetch(T + '/early-fetch').then(() => (early.fetch = 'ok'), () => (early.fetch = 'refused'))
  early.beacon = navigator.sendBeacon(T + '/early-beacon', 'x')
  const x = new XMLHttpRequest(); x.open('GET', T + '/early-xhr')
  x.onload = () => (early.xhr = 'ok'); x.onerror = () => (early.xhr = 'refused'); x.send()
</script>`

beforeAll(async () => {
  ;({ chrome, site, tracker } = await startSuite())
  T = tracker.origin
  for (const name of ['dw', 'dw-split', 'ad', 'ccf', 'shu', 'ns', 'preload', 'mp', 'sw', 'an', 'av', 'svg']) tracker.route(`/${name}.js`, js(name))
  site.route('/own-av.js', own('own av'))
  site.route('/closed', sitePage(config(), CLOSED()))
  for (const name of ['dw-frame', 'sr-frame', 'o', 'o2', 'e', 'iho']) tracker.route(`/${name}.html`, FRAME)
  for (const name of ['fw', 'fc', 'sd', 'ihsd']) tracker.route(`/${name}.js`, { body: `(top.order = top.order || []).push(${JSON.stringify(name)})`, type: 'text/javascript' })
  for (const name of ['dw', 'l']) tracker.route(`/${name}.css`, { body: 'body { --tracked: 1 }', type: 'text/css' })
  tracker.route('/pf.txt', 'prefetched')
  tracker.route('/frame-ran', { body: '', status: 204 })
  site.route('/write', sitePage(config(), WRITE()))
  site.route('/writer.js', { body: WRITER.replaceAll('$T', T), type: 'text/javascript' })
  site.route('/own-written.js', own('own written'))
  site.route('/sinks', sitePage(config(), SINKS()))
  site.route('/friendly', sitePage(config(), FRIENDLY()))
  site.route('/media', sitePage(config(), MEDIA()))
  for (const name of ['w1', 'c1']) site.route(`/${name}.js`, own(name))
  site.route('/f1.js', { body: 'top.flog.push("f1")', type: 'text/javascript' })
  site.route('/s1.js', { body: 'top.slog = ["s1 " + document.body.innerHTML]', type: 'text/javascript' })
  site.route('/frame.html', '<!doctype html><p>first party</p>')
  site.route('/unrelated', sitePage(config(), UNRELATED))
  site.route('/misfires', sitePage(config(), MISFIRES()))
  site.route('/early', sitePage(config(), '<p>early</p>', EARLY()))
  tracker.route('/copied.js', js('copied'))
  tracker.route('/cloned.js', js('cloned'))
  tracker.route('/dsd-frame.html', FRAME)
  for (const name of ['fetch', 'beacon', 'xhr']) tracker.route(`/early-${name}`, { body: 'ok', type: 'text/plain' })
  site.route('/unrelated-without-sdk', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test site</title></head><body>${UNRELATED}</body></html>`)
})
afterAll(() => closeAll(chrome, site, tracker))
afterEach(async () => {
  await context?.close()
  tracker.requests.length = 0
})

const hits = (path: string) => tracker.requests.filter((r) => r.path === path).length
const order = (page: Page) => page.evaluate(() => (window as LeakWindow).order ?? [])
const settle = async (page: Page) => {
  await page.waitForFunction(() => window.MinopioConsent.audit().every((t) => t.state !== 'released'))
  await networkQuiet(page)
}
const open = async (path: string) => {
  context = await chrome.newContext()
  const page = await context.newPage()
  await page.goto(site.url(path))
  await page.evaluate(() => window.MinopioConsent.ready)
  await settle(page)
  return page
}
const audit = (page: Page) => page.evaluate(() => window.MinopioConsent.audit().map((t) => `${t.kind} ${t.via} ${t.state} ${t.url?.replace(/^http:\/\/[^/]+/, '')}`))
// Opens a page: the tracker got no request, none of its scripts ran, and each tag is reported blocked.
const blocked = async (path: string, tags: string[]) => {
  const page = await open(path)
  expect(tracker.requests.map((r) => r.path)).toEqual([])
  expect(await order(page)).toEqual([])
  const seen = await audit(page)
  for (const t of tags) expect(seen).toContain(t)
  return page
}

describe('patterns that misfired for a visitor who agreed', () => {
  it('a script copied from innerHTML by an "activate scripts" helper and a declarative shadow root: nothing before consent', async () => {
    await blocked('/misfires', ['script rule blocked /copied.js', 'img rule blocked /dsd.gif', 'iframe rule blocked /dsd-frame.html', 'script rule blocked /cloned.js'])
  })

  it('…and after accept all the copied script runs once and the shadow root\'s tags load once', async () => {
    const page = await open('/misfires')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => ((window as LeakWindow).order?.length ?? 0) >= 2, undefined, { polling: 100 })
    await settle(page)
    // The written script runs once; its four copies never do, as without the SDK.
    expect([...await order(page)].sort()).toEqual(['cloned', 'copied'])
    for (const path of ['/copied.js', '/dsd.gif', '/dsd-frame.html', '/cloned.js']) expect(hits(path), path).toBe(1)
  })

  type EarlyWindow = Window & { early?: Record<string, unknown> }
  // Decides on a first visit, then reloads: what the page's early requests got on the returning visit.
  const earlyAfter = async (decide: 'acceptAll' | 'rejectAll') => {
    const page = await open('/early')
    await page.evaluate((d) => window.MinopioConsent[d](), decide)
    tracker.requests.length = 0
    await page.reload()
    await page.waitForFunction(() => (window as EarlyWindow).early?.fetch && (window as EarlyWindow).early?.xhr)
    return { page, early: await page.evaluate(() => (window as EarlyWindow).early) }
  }

  it('fetch, XHR and beacons made before the stored consent is read wait for it: they go for a visitor who agreed', async () => {
    const { early } = await earlyAfter('acceptAll')
    expect(early).toEqual({ fetch: 'ok', beacon: true, xhr: 'ok' })
    await expect.poll(() => hits('/early-beacon')).toBe(1)
    for (const path of ['/early-fetch', '/early-xhr']) expect(hits(path), path).toBe(1)
  })

  it('…and are refused without a byte sent for a visitor who rejected', async () => {
    const { page, early } = await earlyAfter('rejectAll')
    expect(early).toEqual({ fetch: 'refused', beacon: true, xhr: 'refused' })
    await networkQuiet(page)
    expect(tracker.requests.map((r) => r.path)).toEqual([])
  })
})

describe('Attr writes, a tag split across document.write calls, SVG href', () => {
  const URLS = ['/sw-split.gif', '/sw.js', '/an.gif', '/av.gif', '/an.js', '/av.js', '/svg.gif', '/xlink.gif', '/fe.gif', '/svg.js']
  it('send nothing and run nothing before consent', async () => {
    const page = await blocked('/closed', ['img rule blocked /sw-split.gif', 'script rule blocked /sw.js', 'img rule blocked /an.gif', 'img rule blocked /av.gif',
      'script rule blocked /an.js', 'script rule blocked /av.js', 'img rule blocked /svg.gif', 'img rule blocked /xlink.gif', 'img rule blocked /fe.gif',
      'script rule blocked /svg.js'])
    // The written markup around the split tags reached the parser whole; the first-party value an Attr write replaced never loads.
    expect(await page.evaluate(() => document.querySelectorAll('img[alt=""]').length)).toBe(1)
    expect(site.hits('/own-av.js')).toEqual([])
  })

  it('…and after accept all each URL loads once and each script runs once', async () => {
    const page = await open('/closed')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => ((window as LeakWindow).order?.length ?? 0) >= 4, undefined, { polling: 100 })
    await settle(page)
    expect([...await order(page)].sort()).toEqual(['an', 'av', 'svg', 'sw'])
    for (const path of URLS) expect(hits(path), path).toBe(1)
  })
})

describe('document.write of a tracker tag', () => {
  it('sends nothing and runs nothing before consent, during parsing and from a parser-blocking script', async () => {
    const page = await open('/write')
    expect(tracker.requests.map((r) => r.path)).toEqual([])
    expect(await order(page)).toEqual([])
    expect(await audit(page)).toEqual(expect.arrayContaining([
      'script rule blocked /dw.js', 'img rule blocked /dw.gif', 'iframe rule blocked /dw-frame.html', 'script rule blocked /dw-split.js',
      'link rule blocked /dw.css', 'img rule blocked /dw-set.gif', 'script rule blocked /ad.js', 'img rule blocked /ad.gif',
    ]))
    // The first-party script the writer wrote still ran where it was written, before the next parsed script.
    expect(await page.evaluate(() => (window as LeakWindow).log)).toEqual(['writer', 'own written', 'after writer'])
  })

  it('runs every written tag exactly once after accept all, in the order written', async () => {
    const page = await open('/write')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    // Polled on a timer, not on animation frames (which a starved renderer may stop producing); `>= 3` so that a
    // script running twice fails on the order below instead of timing out.
    await page.waitForFunction(() => ((window as LeakWindow).order?.length ?? 0) >= 3, undefined, { polling: 100 })
    await settle(page)
    expect(await order(page)).toEqual(['dw', 'dw-split', 'ad'])
    for (const path of ['/dw.js', '/dw-split.js', '/ad.js', '/dw.gif', '/dw-set.gif', '/ad.gif', '/dw.css', '/dw-frame.html']) expect(hits(path), path).toBe(1)
    await expect.poll(() => tracker.hits('/frame-ran').length).toBe(1)
    // The report of a released script is the live script that ran, not the held one it replaced.
    const live = await page.evaluate(() => window.MinopioConsent.audit().filter((t) => t.kind === 'script').map((t) => t.element?.isConnected && (t.element as HTMLScriptElement).type))
    expect(live).toEqual(['', '', ''])
  })
})

describe('srcset, the other HTML sinks, setAttributeNS and links', () => {
  it('send nothing and run nothing before consent', async () => {
    await blocked('/sinks', ['img rule blocked /set-prop.gif', 'img rule blocked /set-attr.gif', 'source rule blocked /pic.gif', 'img rule blocked /ih-set.gif',
      'img rule blocked /oh.gif', 'img rule blocked /ccf.gif', 'script rule blocked /ccf.js', 'img rule blocked /ns.gif', 'script rule blocked /ns.js',
      'link rule blocked /l.css', 'link rule blocked /preload.js', 'link rule blocked /mp.js', 'link rule blocked /pf.txt',
      'img rule blocked /sr.gif', 'iframe rule blocked /sr-frame.html'])
  })

  it('load each held URL once after accept all; scripts that would run, run once; those that never run, never do', async () => {
    const page = await open('/sinks')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => (window as LeakWindow).order?.length === 2)
    await settle(page)
    expect([...await order(page)].sort()).toEqual(['ccf', 'ns'])
    for (const path of ['/set-prop.gif', '/set-attr.gif', '/pic.gif', '/ih-set.gif', '/oh.gif', '/sr.gif', '/sr-frame.html', '/ccf.gif', '/ccf.js', '/shu.gif', '/ns.gif', '/ns.js', '/l.css', '/preload.js', '/mp.js']) {
      expect(hits(path), path).toBe(1)
    }
    expect(hits('/shu.js')).toBe(0)
    expect(await page.evaluate(() => (document.querySelector('link[rel=prefetch]') as HTMLLinkElement).href)).toBe(`${T}/pf.txt`)
    expect(await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--tracked'))).toBe('1')
  })
})

describe('friendly iframes: a same-origin frame written, built or given a srcdoc by page code', () => {
  it('send nothing and run nothing before consent', async () => {
    await blocked('/friendly', ['script rule blocked /fw.js', 'img rule blocked /fw.gif', 'script rule blocked /fc.js', 'img rule blocked /fc.gif',
      'script rule blocked /sd.js', 'img rule blocked /sd.gif', 'img rule blocked /sda.gif', 'script rule blocked /ihsd.js', 'img rule blocked /fr.gif'])
  })

  it('load each held URL once after accept all and run each script once, in its frame', async () => {
    const page = await open('/friendly')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await page.waitForFunction(() => (window as LeakWindow).order?.length === 4)
    await settle(page)
    expect([...await order(page)].sort()).toEqual(['fc', 'fw', 'ihsd', 'sd'])
    for (const path of ['/fw.js', '/fw.gif', '/fc.js', '/fc.gif', '/sd.js', '/sd.gif', '/sda.gif', '/ihsd.js', '/fr.gif']) expect(hits(path), path).toBe(1)
    // Each script ran in the frame it was written into, not in the page.
    const where = await page.evaluate(() => window.MinopioConsent.audit().filter((t) => t.kind === 'script').map((t) => t.element?.ownerDocument !== document && t.element?.isConnected))
    expect(where).toEqual([true, true, true, true])
  })
})

describe('video, audio, object and embed URLs set by page code', () => {
  it('send nothing before consent', async () => {
    await blocked('/media', ['video rule blocked /v.mp4', 'video rule blocked /poster.gif', 'video rule blocked /v2.mp4', 'video rule blocked /poster2.gif',
      'audio rule blocked /a.mp3', 'audio rule blocked /a2.mp3', 'object rule blocked /o.html', 'object rule blocked /o2.html', 'embed rule blocked /e.html',
      'video rule blocked /ihv.mp4', 'object rule blocked /iho.html'])
  })

  it('load each held URL once after accept all', async () => {
    const page = await open('/media')
    await page.evaluate(() => window.MinopioConsent.acceptAll())
    await settle(page)
    await expect.poll(() => tracker.hits('/frame-ran').length).toBe(4)
    for (const path of ['/v.mp4', '/poster.gif', '/v2.mp4', '/poster2.gif', '/a.mp3', '/a2.mp3', '/o.html', '/o2.html', '/e.html', '/ihv.mp4', '/ihp.gif', '/iho.html']) expect(hits(path), path).toBe(1)
  })
})

describe('first-party content through the same sinks', () => {
  it('behaves byte for byte as without the SDK: written scripts in order, templates, innerHTML, fragments', async () => {
    const seen = async (path: string) => {
      const page = await context.newPage()
      await page.goto(site.url(path))
      await page.waitForLoadState('load')
      await page.waitForFunction(() => (window as LeakWindow).log?.includes('c1') && (window as LeakWindow).flog?.length === 2 && (window as LeakWindow).slog)
      await networkQuiet(page)
      return page.evaluate(() => ({
        log: (window as LeakWindow).log,
        flog: (window as LeakWindow).flog,
        slog: (window as LeakWindow).slog,
        frames: ['ff', 'sd'].map((id) => (document.getElementById(id) as HTMLIFrameElement).contentDocument!.documentElement.outerHTML),
        media: document.getElementById('media')!.innerHTML,
        out: document.getElementById('out')!.innerHTML,
        template: (document.getElementById('tpl') as HTMLTemplateElement).innerHTML,
        images: [...document.images].map((i) => `${i.alt || i.title} ${i.complete} ${i.naturalWidth}`),
      }))
    }
    context = await chrome.newContext()
    const without = await seen('/unrelated-without-sdk')
    expect(without.log).toEqual(['w1', 'inline written 3', 'after write', 'ccf inline', 'c1'])
    expect(without.flog).toEqual(['f1', 'frame inline'])
    expect(without.slog).toEqual(['s1 <p>srcdoc &amp; more</p><img src="/pixel-s.gif"><iframe srcdoc="&lt;b&gt;in&lt;/b&gt;"></iframe><script src="/s1.js"></script>'])
    expect(without.template).toBe('<img src="/pixel-t.gif" alt="a&amp;b"><script src="/never.js"></script>')
    expect(await seen('/unrelated')).toEqual(without)
  })
})
