import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MockInstance } from 'vitest'
import { createConsent } from '../src/index'
import type { ConsentApi } from '../src/index'
import { readCookie } from '../src/cookie-read'
import type { ConsentConfig } from '../src/types'

const T = 'https://tracker.example'
const RULES: ConsentConfig = { rules: [{ match: 'tracker.example', category: 'marketing' }] }
let warn: MockInstance<typeof console.warn>

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterEach(() => {
  for (const consent of running.splice(0)) consent.destroy()
  document.cookie = 'minopio_consent=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
  document.body.replaceChildren()
})

// The page as the server sent it, in place before the SDK starts (adopted nodes pass no patched setter).
const page = (html: string) => document.body.append(...new DOMParser().parseFromString(html, 'text/html').body.childNodes)
const running: ConsentApi[] = []
const start = async (config: ConsentConfig = {}) => {
  const consent = createConsent(config)
  running.push(consent)
  await consent.ready
  return consent
}
// Every released tag has loaded or failed (happy-dom runs no scripts: external ones fail).
const settled = (consent: ReturnType<typeof createConsent>) =>
  vi.waitFor(() => expect(consent.audit().filter((t) => t.state === 'released')).toEqual([]))

describe('markup', () => {
  it('releases scripts in document order, an inline one only once the library before it has loaded or failed', async () => {
    page(`<script type="text/plain" data-consent="marketing" src="${T}/lib.js"></script>
      <script type="text/plain" data-consent="marketing">lib.go()</script>
      <script type="text/plain" data-consent="analytics" src="${T}/after.js"></script>`)
    const consent = await start()
    const log: string[] = []
    // Capture runs before the gate's own listener: the states are those the moment the browser gave up on the file.
    document.addEventListener('error', (e) => {
      log.push(`${(e.target as HTMLScriptElement).getAttribute('src')} failed, inline ${consent.audit()[1].state}`)
    }, true)
    await consent.acceptAll()
    await settled(consent)
    expect(log).toEqual([`${T}/lib.js failed, inline released`, `${T}/after.js failed, inline loaded`])
    expect([...document.scripts].map((s) => s.getAttribute('src') ?? s.text)).toEqual([`${T}/lib.js`, 'lib.go()', `${T}/after.js`])
    expect([...document.scripts].map((s) => s.type)).toEqual(['', '', ''])
    expect([...document.scripts].map((s) => s.async)).toEqual([false, false, false])
  })

  it('releases each tag once however many times consent changes', async () => {
    page(`<script type="text/plain" data-consent="marketing" src="${T}/once.js"></script><img data-consent="marketing" data-src="${T}/p.gif">`)
    const consent = await start({ reloadOnRevoke: false })
    await consent.acceptAll()
    await consent.rejectAll()
    await consent.acceptAll()
    await vi.waitFor(() => expect(consent.audit()[0].state).toBe('error'))
    expect(document.querySelectorAll(`script[src="${T}/once.js"]`)).toHaveLength(1)
    expect(consent.audit().map((t) => t.kind)).toEqual(['script', 'img'])
  })

  it('releases nothing while the stored consent is being read, then what is granted', async () => {
    page('<script type="text/plain" data-consent="necessary">window.ok = 1</script>')
    const consent = createConsent()
    running.push(consent)
    expect(consent.audit()[0].state).toBe('blocked')
    await consent.ready
    expect(consent.audit()[0].state).toBe('loaded')
  })

  it('releases nothing when the config is invalid, not even a necessary tag', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    page('<script type="text/plain" data-consent="necessary">window.ok = 1</script>')
    const consent = await start({ rules: 'ads' as never })
    expect(consent.audit()[0].state).toBe('blocked')
  })

  it('warns once about an unknown category and keeps the tag blocked', async () => {
    page('<iframe data-consent="ads" data-src="https://video.example/embed"></iframe><img data-consent="ads" data-src="https://x.example/p.gif">')
    const consent = await start()
    await consent.acceptAll()
    expect(document.querySelector('iframe')!.hasAttribute('src')).toBe(false)
    expect(warn.mock.calls.filter(([m]) => String(m).includes('unknown category "ads"'))).toHaveLength(1)
  })

  it('needs every category listed in data-consent', async () => {
    page(`<iframe data-consent="marketing partners" data-src="${T}/frame"></iframe>`)
    const consent = await start()
    const frame = document.querySelector('iframe')!
    await consent.set({ marketing: true })
    expect(frame.hasAttribute('src')).toBe(false)
    await consent.set({ partners: true })
    expect(frame.getAttribute('src')).toBe(`${T}/frame`)
  })

  it('lets markup win over rules: an analytics tag on a marketing host runs on analytics consent', async () => {
    page(`<img data-consent="analytics" data-src="${T}/a.gif">`)
    const consent = await start(RULES)
    await consent.set({ analytics: true })
    expect(document.querySelector('img')!.getAttribute('src')).toBe(`${T}/a.gif`)
    expect(consent.audit()[0]).toMatchObject({ via: 'markup', category: 'analytics' })
  })

  it('loads one tag once for this page view without storing any consent', async () => {
    page(`<iframe data-consent="partners" data-src="${T}/video"></iframe><iframe data-consent="partners" data-src="${T}/other"></iframe>`)
    const consent = await start()
    consent.loadOnce(consent.audit()[0].id)
    const [first, second] = document.querySelectorAll('iframe')
    expect(first.getAttribute('src')).toBe(`${T}/video`)
    expect(second.hasAttribute('src')).toBe(false)
    expect(consent.audit()[0]).toMatchObject({ once: true })
    expect(consent.audit().map((t) => t.state === 'blocked')).toEqual([false, true])
    expect(consent.has('partners')).toBe(false)
    expect(readCookie('minopio_consent')).toBeUndefined()
  })
})

describe('rules', () => {
  it('holds createElement + src, setAttribute and new Image() without a src reaching the element, then releases the same element', async () => {
    const consent = await start(RULES)
    const script = document.createElement('script')
    script.src = `${T}/x.js`
    const frame = document.createElement('iframe')
    frame.setAttribute('src', `${T}/frame`)
    const img = new Image()
    img.src = `${T}/p.gif`
    document.body.append(script, frame, img)
    expect([script, frame, img].map((el) => el.getAttribute('src'))).toEqual([null, null, null])
    expect(consent.audit().map((t) => `${t.kind} ${t.via} ${t.state} ${t.url}`)).toEqual([
      `script rule blocked ${T}/x.js`, `iframe rule blocked ${T}/frame`, `img rule blocked ${T}/p.gif`,
    ])
    await consent.set({ marketing: true })
    expect([script, frame, img].map((el) => el.getAttribute('src'))).toEqual([`${T}/x.js`, `${T}/frame`, `${T}/p.gif`])
  })

  it('leaves URLs that match no rule alone', async () => {
    await start(RULES)
    const img = new Image()
    img.src = 'https://cdn.example/logo.png'
    const script = document.createElement('script')
    script.setAttribute('src', '/app.js')
    expect([img.getAttribute('src'), script.getAttribute('src')]).toEqual(['https://cdn.example/logo.png', '/app.js'])
  })

  it('parses HTML with images and iframes inertly and moves their URL to data-src', async () => {
    const consent = await start(RULES)
    const box = document.createElement('div')
    box.innerHTML = `<p>hi</p><img src="${T}/p.gif"><iframe src="${T}/f"></iframe><img src="/own.png">`
    document.body.append(box)
    const [img, own] = box.querySelectorAll('img')
    expect(img.hasAttribute('src')).toBe(false)
    expect(img.dataset.src).toBe(`${T}/p.gif`)
    expect(box.querySelector('iframe')!.getAttribute('src')).toBe('about:blank')
    expect(own.getAttribute('src')).toBe('/own.png')
    await consent.acceptAll()
    expect(img.getAttribute('src')).toBe(`${T}/p.gif`)
  })

  it('leaves the parsing to the browser: a table still gets its tbody, only the held tag changes', async () => {
    await start(RULES)
    const table = document.createElement('table')
    table.innerHTML = `<tr><td><img src="${T}/p.gif"></td></tr>`
    expect(table.firstElementChild!.localName).toBe('tbody')
    expect(table.querySelector('img')!.dataset.src).toBe(`${T}/p.gif`)
    const p = document.createElement('p')
    p.innerHTML = `<img src="/own.png" alt="a&amp;b"><IMG SRC='${T}/t.gif' alt="x>y">`
    expect(p.innerHTML).toBe(`<img src="/own.png" alt="a&amp;b"><img alt="x>y" data-src="${T}/t.gif" data-consent-rule="marketing">`)
    const box = document.createElement('div')
    box.insertAdjacentHTML('beforeend', `<b>x</b><iframe src="${T}/f"></iframe>`)
    expect(box.querySelector('iframe')!.dataset.src).toBe(`${T}/f`)
    expect(box.firstElementChild!.outerHTML).toBe('<b>x</b>')
  })

  it('turns an inserted script that matches a rule into text/plain until consent', async () => {
    const consent = await start(RULES)
    const doc = new DOMParser().parseFromString(`<script type="module" src="${T}/m.js"></script>`, 'text/html')
    document.body.append(document.importNode(doc.querySelector('script')!, true))
    await vi.waitFor(() => expect(document.querySelector('script')!.type).toBe('text/plain'))
    expect(document.querySelector('script')!.dataset.type).toBe('module')
    await consent.acceptAll()
    await vi.waitFor(() => expect(document.querySelector('script')!.type).toBe('module'))
  })

  it('refuses fetch and sendBeacon to a tracker before consent and records them', async () => {
    const consent = await start(RULES)
    await expect(fetch(`${T}/collect`)).rejects.toThrow(`[minopio-consent] request refused until consent: ${T}/collect`)
    expect(navigator.sendBeacon(`${T}/beacon`, 'x')).toBe(false)
    expect(consent.audit().map((t) => `${t.kind} ${t.state} ${t.category}`)).toEqual(['fetch blocked marketing', 'beacon blocked marketing'])
  })
})

describe('registry', () => {
  it('describes every tag: kind, URL or hash + snippet, categories, via, state and times', async () => {
    page(`<script type="text/plain" data-consent="analytics marketing">
      window.track('page')
    </script>`)
    const before = Date.now()
    const consent = await start()
    const [tag] = consent.audit()
    expect(tag).toMatchObject({
      id: 0, kind: 'script', url: null, snippet: "window.track('page')", categories: ['analytics', 'marketing'],
      category: 'analytics marketing', via: 'markup', state: 'blocked',
    })
    expect(tag.hash).toMatch(/^[0-9a-f]{1,8}$/)
    expect(tag.times.blocked).toBeGreaterThanOrEqual(before)
    await consent.acceptAll()
    expect(consent.audit()[0].state).toBe('loaded')
    expect(Object.keys(consent.audit()[0].times)).toEqual(['blocked', 'released', 'loaded'])
  })

  it('publishes $tags once per batch however many tags a script inserts', async () => {
    const consent = await start(RULES)
    const seen: number[] = []
    consent.stores.$tags.listen((tags) => seen.push(tags.length))
    for (let i = 0; i < 100; i++) new Image().src = `${T}/p${i}.gif`
    await Promise.resolve()
    expect(seen).toEqual([100])
  })
})

describe('services', () => {
  const SERVICES: ConsentConfig = {
    categories: ['necessary', 'analytics', {
      id: 'marketing',
      services: [
        { id: 'pixelwave', name: 'Pixelwave', match: ['ads.example'], cookies: ['_pw_id'] },
        { id: 'kiln-films', name: 'Kiln Films', cookies: [{ name: /^_kf/, lifetime: '1 day' }] },
      ],
    }],
    rules: [{ match: 'video.example', service: 'kiln-films' }],
    reloadOnRevoke: false,
  }
  const src = (selector: string) => document.querySelector(selector)!.getAttribute('src')

  it('releases a tag marked with a service when that service alone is granted, and nothing else of its category', async () => {
    page(`<iframe id="video" data-consent="kiln-films" data-src="${T}/video"></iframe><iframe id="ads" data-consent="pixelwave" data-src="${T}/ads"></iframe>
      <iframe id="any" data-consent="marketing" data-src="${T}/any"></iframe>`)
    const consent = await start(SERVICES)
    expect(consent.audit().map((t) => [t.category, t.services])).toEqual([['marketing', ['kiln-films']], ['marketing', ['pixelwave']], ['marketing', []]])
    await consent.set({ 'kiln-films': true })
    expect([src('#video'), src('#ads'), src('#any')]).toEqual([`${T}/video`, null, null])
    expect(consent.get().services).toEqual({ pixelwave: false, 'kiln-films': true })
    expect(consent.get().categories.marketing).toBe(false)
    expect([consent.has('kiln-films'), consent.has('pixelwave'), consent.has('marketing')]).toEqual([true, false, false])
  })

  it('holds what a service\'s match or a rule naming a service covers, until that service is granted', async () => {
    const consent = await start(SERVICES)
    const ad = document.createElement('script')
    ad.src = 'https://ads.example/lib.js'
    const video = document.createElement('iframe')
    video.src = 'https://video.example/embed'
    document.body.append(ad, video)
    expect(consent.audit().map((t) => `${t.kind} ${t.services} ${t.state}`)).toEqual(['script pixelwave blocked', 'iframe kiln-films blocked'])
    await consent.set({ 'kiln-films': true })
    expect([ad.getAttribute('src'), video.getAttribute('src')]).toEqual([null, 'https://video.example/embed'])
    await expect(fetch('https://ads.example/collect')).rejects.toThrow(/refused until consent/)
  })

  it('grants a category\'s services with it, unless the same decision switches one off', async () => {
    page(`<iframe id="video" data-consent="kiln-films" data-src="${T}/video"></iframe><iframe id="ads" data-consent="pixelwave" data-src="${T}/ads"></iframe>`)
    const consent = await start(SERVICES)
    await consent.set({ marketing: true, pixelwave: false })
    expect(consent.get().services).toEqual({ pixelwave: false, 'kiln-films': true })
    expect([src('#video'), src('#ads')]).toEqual([`${T}/video`, null])
    await consent.acceptAll()
    expect(src('#ads')).toBe(`${T}/ads`)
  })

  it('deletes a refused service\'s cookies, and only those of the services refused', async () => {
    const consent = await start(SERVICES)
    await consent.acceptAll()
    document.cookie = '_pw_id=1; path=/'
    document.cookie = '_kf_views=2; path=/'
    await consent.set({ pixelwave: false })
    expect(document.cookie).not.toMatch(/_pw_id/)
    expect(document.cookie).toMatch(/_kf_views=2/)
    await consent.rejectAll()
    expect(document.cookie).not.toMatch(/_kf_views/)
  })

  it('warns once naming an unknown service, in markup or in a rule, and keeps its tags blocked', async () => {
    page(`<iframe data-consent="kiln-film" data-src="${T}/video"></iframe>`)
    const consent = await start({ ...SERVICES, rules: [{ match: 'nowhere.example', service: 'vimeo' }] })
    const img = new Image()
    img.src = 'https://nowhere.example/p.gif'
    await consent.acceptAll()
    expect(document.querySelector('iframe')!.hasAttribute('src')).toBe(false)
    expect(img.getAttribute('src')).toBeNull()
    expect(warn.mock.calls.filter(([m]) => String(m).includes('unknown category or service "kiln-film"'))).toHaveLength(1)
    expect(warn.mock.calls.filter(([m]) => String(m).includes('unknown service "vimeo"'))).toHaveLength(1)
    page(`<iframe data-consent="constructor" data-src="${T}/proto"></iframe>`)
    await vi.waitFor(() => expect(warn.mock.calls.filter(([m]) => String(m).includes('unknown category or service "constructor"'))).toHaveLength(1))
  })
})

describe('destroy()', () => {
  it('stops the gate: what it held stays held and audited, and from then on it holds nothing, as without the SDK', async () => {
    page(`<img data-consent="marketing" data-src="${T}/held.gif" alt="">`)
    const consent = await start(RULES)
    const held = new Image()
    held.src = `${T}/before.gif`
    expect(held.getAttribute('src')).toBeNull()
    consent.destroy()
    const img = new Image()
    img.src = `${T}/after.gif`
    const box = document.createElement('div')
    document.body.append(box)
    box.innerHTML = `<img src="${T}/inner.gif">`
    await new Promise((done) => setTimeout(done))
    expect(img.getAttribute('src')).toBe(`${T}/after.gif`)
    expect(box.innerHTML).toBe(`<img src="${T}/inner.gif">`)
    expect(consent.audit().map((t) => [t.url, t.state])).toEqual([[`${T}/held.gif`, 'blocked'], [`${T}/before.gif`, 'blocked']])
    expect(document.querySelector('img[data-consent]')!.getAttribute('src')).toBeNull()
  })
})
