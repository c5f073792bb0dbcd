// The strict-mode page of test/e2e/strict.e2e.test.ts: every realistic way third-party code loads something, each to
// its own tracker path so a failure names the path. Each entry's code runs in the page with `T` (the tracker's origin),
// `U` (an unruled third party) and `attempt(f)` (runs f, ignoring what throws).

/** A path: its name, the tracker path it requests, the page code that tries it and when (`load`: after the load event). */
export interface LeakPath {
  name: string
  path: string
  code: string
  when?: 'load'
}

const path = (name: string, p: string, code: string, when?: 'load'): LeakPath => ({ name, path: p, code, when })

/** Paths page code takes at run time: a policy (meta or header) can stop each. */
export const PATHS: LeakPath[] = [
  path('WebSocket', '/ws', String.raw`new WebSocket(T.replace('http', 'ws') + '/ws')`),
  path('EventSource', '/es', String.raw`new EventSource(T + '/es')`),
  path('import()', '/mod.js', String.raw`import(T + '/mod.js').catch(() => {})`),
  path('inline <script type=module> with a static import', '/static.js', String.raw`const s = document.createElement('script'); s.type = 'module'; s.textContent = 'import ' + JSON.stringify(T + '/static.js'); document.body.append(s)`),
  path('blob Worker + importScripts', '/w.js', String.raw`new Worker(URL.createObjectURL(new Blob(['importScripts(' + JSON.stringify(T + '/w.js') + ')'], { type: 'text/javascript' })))`),
  path('blob SharedWorker + importScripts', '/sw.js', String.raw`new SharedWorker(URL.createObjectURL(new Blob(['importScripts(' + JSON.stringify(T + '/sw.js') + ')'], { type: 'text/javascript' })))`),
  path('element.style url()', '/bg.gif', String.raw`bg.style.backgroundImage = 'url(' + T + '/bg.gif)'`),
  path('<style> @import', '/imp.css', String.raw`document.head.insertAdjacentHTML('beforeend', '<style>@import url(' + T + '/imp.css);</style>')`),
  path('CSSStyleSheet.replace() url()', '/replace.gif', String.raw`const s = new CSSStyleSheet(); s.replace('#r1 { background-image: url(' + T + '/replace.gif) }').then(() => { document.adoptedStyleSheets = [...document.adoptedStyleSheets, s] }, () => {})`),
  path('CSSOM insertRule() url()', '/rule.gif', String.raw`const st = document.createElement('style'); document.head.append(st); st.sheet.insertRule('#r2 { background-image: url(' + T + '/rule.gif) }')`),
  path('FontFace', '/f.woff', String.raw`new FontFace('x', 'url(' + T + '/f.woff)').load().catch(() => {})`),
  path('@font-face in a <style>', '/ff.woff', String.raw`document.head.insertAdjacentHTML('beforeend', '<style>@font-face { font-family: y; src: url(' + T + '/ff.woff) } #bg { font-family: y }</style>'); bg.textContent = 'y'`),
  path('srcdoc iframe with its own inline script', '/sd', String.raw`const f = document.createElement('iframe'); f.srcdoc = '<script>fetch(' + JSON.stringify(T + '/sd') + ')<\/script>'; document.body.append(f)`),
  path('sandboxed srcdoc iframe with its own inline script', '/sbx', String.raw`const f = document.createElement('iframe'); f.sandbox = 'allow-scripts'; f.srcdoc = '<script>fetch(' + JSON.stringify(T + '/sbx') + ')<\/script>'; document.body.append(f)`),
  path('data: iframe', '/data.gif', String.raw`const f = document.createElement('iframe'); f.src = 'data:text/html,<img src=' + T + '/data.gif>'; document.body.append(f)`),
  path('blob: iframe', '/blob.gif', String.raw`const f = document.createElement('iframe'); f.src = URL.createObjectURL(new Blob(['<img src="' + T + '/blob.gif">'], { type: 'text/html' })); document.body.append(f)`),
  path('javascript: iframe', '/js.gif', String.raw`const f = document.createElement('iframe'); f.src = 'javascript:' + JSON.stringify('<img src="' + T + '/js.gif">'); document.body.append(f)`),
  path('document.write of one tag split across calls, while parsing', '/dw-split.gif', String.raw`document.write('<img alt="" src="' + T + '/dw-'); document.write('split.gif">')`),
  path('document.write split across calls into a friendly iframe, after load', '/dw-late.gif', String.raw`const f = document.createElement('iframe'); document.body.append(f); const d = f.contentDocument; d.open(); d.write('<img src="' + T + '/dw-'); d.write('late.gif">'); d.close()`, 'load'),
  path('SVG <image href>', '/svg.gif', String.raw`const NS = 'http://www.w3.org/2000/svg'; const svg = document.createElementNS(NS, 'svg'); const im = document.createElementNS(NS, 'image'); im.setAttribute('href', T + '/svg.gif'); svg.append(im); document.body.append(svg)`),
  path('SVG <script href>', '/svg-script.js', String.raw`const NS = 'http://www.w3.org/2000/svg'; const svg = document.createElementNS(NS, 'svg'); const s = document.createElementNS(NS, 'script'); s.setAttribute('href', T + '/svg-script.js'); svg.append(s); document.body.append(svg)`),
  path('SVG <feImage href>', '/fe.gif', String.raw`document.body.insertAdjacentHTML('beforeend', '<svg width="10" height="10"><filter id="fe"><feImage href="' + T + '/fe.gif"/></filter><rect width="10" height="10" filter="url(#fe)"/></svg>')`),
  path('<a ping>', '/ping', String.raw`const a = document.createElement('a'); a.href = '#pinged'; a.ping = T + '/ping'; document.body.append(a); a.click()`),
  path('DOMParser-built <img> inserted', '/dp.gif', String.raw`document.body.append(new DOMParser().parseFromString('<img src="' + T + '/dp.gif">', 'text/html').body.firstChild)`),
  path('importNode of a DOMParser-built <img>', '/import.gif', String.raw`document.body.append(document.importNode(new DOMParser().parseFromString('<img src="' + T + '/import.gif">', 'text/html').body.firstChild, true))`),
  path('Document.parseHTMLUnsafe node inserted', '/phu.gif', String.raw`document.body.append(Document.parseHTMLUnsafe('<img src="' + T + '/phu.gif">').body.firstChild)`),
  path('<template> content cloned and inserted', '/tpl-clone.gif', String.raw`document.body.append(tplClone.content.cloneNode(true))`),
  path('<template> content adopted (adoptNode) and inserted', '/tpl-adopt.gif', String.raw`document.body.append(document.adoptNode(tplAdopt.content.firstElementChild))`),
  path('setAttributeNode(src) on an <img>', '/attr-node.gif', String.raw`const im = document.createElement('img'); const a = document.createAttribute('src'); a.value = T + '/attr-node.gif'; im.setAttributeNode(a); document.body.append(im)`),
  path('Attr.value of an <img> src', '/attr-value.gif', String.raw`const im = document.createElement('img'); im.setAttribute('src', '/blank.gif'); document.body.append(im); im.getAttributeNode('src').value = T + '/attr-value.gif'`),
  path('setAttributeNode(src) on a <script>', '/attr-node.js', String.raw`const s = document.createElement('script'); const a = document.createAttribute('src'); a.value = T + '/attr-node.js'; s.setAttributeNode(a); document.body.append(s)`),
  path('Attr.value of a <script> src before insertion', '/attr-value.js', String.raw`const s = document.createElement('script'); s.setAttribute('src', '/blank.js'); s.getAttributeNode('src').value = T + '/attr-value.js'; document.body.append(s)`),
  path('form submit to a hidden iframe', '/form', String.raw`document.body.insertAdjacentHTML('beforeend', '<iframe name="sink" hidden></iframe><form id="fm" method="post" target="sink" action="' + T + '/form"><input name="id" value="1"></form>'); fm.submit()`),
  path('location.assign() inside a same-origin iframe', '/assign', String.raw`const f = document.createElement('iframe'); document.body.append(f); f.contentWindow.location.assign(T + '/assign')`),
  path('<meta http-equiv=refresh> inserted in a child iframe', '/refresh', String.raw`const f = document.createElement('iframe'); document.body.append(f); f.contentDocument.head.innerHTML = '<meta http-equiv="refresh" content="0; url=' + T + '/refresh">'`),
  // Last: a <base> that took effect would move every later relative URL to the tracker.
  path('<base href> at the tracker, then a relative <img>', '/base.gif', String.raw`document.head.insertAdjacentHTML('beforeend', '<base href="' + T + '/">'); const im = document.createElement('img'); im.setAttribute('src', 'base.gif'); document.body.append(im)`),
]

/** Navigations no policy governs: a popup is a new top-level page with its own policy. Asserted as leaks in every mode. */
export const NAVIGATIONS: LeakPath[] = [path('window.open()', '/popup', String.raw`window.open(T + '/popup')`)]

/** In the HTML: the preload scanner may fetch these before any script runs. `meta`: whether the meta tier stops it. */
export const PARSED: Array<{ name: string; path: string; meta: boolean; html: string }> = [
  { name: 'parser-inserted <img>', path: '/parsed.gif', meta: false, html: '<img src="T/parsed.gif" alt="">' },
  { name: '<link rel=preload>', path: '/pre.js', meta: false, html: '<link rel="preload" as="script" href="T/pre.js">' },
  { name: '<link rel=stylesheet>', path: '/parsed.css', meta: false, html: '<link rel="stylesheet" href="T/parsed.css">' },
  { name: '<link rel=modulepreload>', path: '/mp.js', meta: false, html: '<link rel="modulepreload" href="T/mp.js">' },
  { name: 'parser-inserted <iframe>', path: '/parsed-frame', meta: true, html: '<iframe src="T/parsed-frame" title="x"></iframe>' },
]

/** Tags the gate holds until `marketing` is granted: each must run or load exactly once after Accept all. */
export const HELD: Array<{ name: string; path: string; runs?: string }> = [
  { name: 'markup <script type=text/plain data-consent>', path: '/tag.js', runs: 'tag' },
  { name: 'a script page code creates, held by its rule', path: '/made.js', runs: 'made' },
  { name: 'a script written by document.write while parsing', path: '/written.js', runs: 'written' },
  { name: 'markup <img data-consent data-src>', path: '/held.gif' },
  { name: 'new Image() held by its rule', path: '/made.gif' },
]

/**
 * The page: the gate, the parsed tags, the held tags, then one script trying every path.
 * @param gate the dist file of the gate
 * @param cfg `window.minopioConsentConfig`
 * @param T the tracker's origin
 * @param U an unruled third party's origin
 */
export const strictPage = (gate: string, cfg: object, T: string, U: string) => {
  const parsed = (tag: string) => PARSED.filter((p) => p.html.startsWith(tag)).map((p) => p.html.replace('T/', T + '/')).join('\n')
  const run = (list: LeakPath[]) => list.map((p) => `  attempt(() => { ${p.code} })`).join('\n')
  const now = [...PATHS, ...NAVIGATIONS].filter((p) => !p.when)
  const later = [...PATHS, ...NAVIGATIONS].filter((p) => p.when)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict</title>
<script>window.minopioConsentConfig = ${JSON.stringify(cfg)}</script>
<script src="/dist/${gate}"></script>
${parsed('<link')}
</head><body>
${parsed('<i')}
<script type="text/plain" data-consent="marketing" src="${T}/tag.js"></script>
<img data-consent="marketing" data-src="${T}/held.gif" alt="">
<template id="tplClone"><img src="${T}/tpl-clone.gif" alt=""></template>
<template id="tplAdopt"><img src="${T}/tpl-adopt.gif" alt=""></template>
<div id="bg" style="width:10px;height:10px"></div><div id="r1" style="width:10px;height:10px"></div><div id="r2" style="width:10px;height:10px"></div>
<script>
  const T = ${JSON.stringify(T)}, U = ${JSON.stringify(U)}
  const attempt = (f) => { try { f() } catch {} }
  attempt(() => { const s = document.createElement('script'); s.src = T + '/made.js'; document.head.append(s) })
  attempt(() => document.write('<script src="' + T + '/written.js"><\\/script>'))
  attempt(() => { new Image().src = T + '/made.gif' })
${run(now)}
  attempt(() => fetch(U + '/unruled').catch(() => {}))
  addEventListener('load', () => {
${run(later)}
    window.tried = true
  })
</script></body></html>`
}
