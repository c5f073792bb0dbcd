import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent } from '../src/index'

// The leak paths beyond src setters and innerHTML, in happy-dom. document.write (happy-dom's is not on Document.prototype),
// requests and script execution: test/e2e/gate-leaks.e2e.test.ts.
const T = 'https://tracker.example'
const RULES = { rules: [{ match: 'tracker.example', category: 'marketing' }] }

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterEach(() => {
  document.cookie = 'minopio_consent=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
  document.body.replaceChildren()
})

const start = async () => {
  const consent = createConsent(RULES)
  await consent.ready
  return consent
}
const tags = (consent: ReturnType<typeof createConsent>) => consent.audit().map((t) => `${t.kind} ${t.via} ${t.state} ${t.url}`)

describe('srcset', () => {
  it('holds a tracker candidate set by the setter, setAttribute or innerHTML, then gives the whole srcset back', async () => {
    const consent = await start()
    const img = new Image()
    img.srcset = `/small.png 1x, ${T}/big.gif 2x`
    const source = document.createElement('source')
    source.setAttribute('srcset', `${T}/s.gif`)
    const box = document.createElement('div')
    box.innerHTML = `<img srcset="${T}/ih.gif 1x" alt="a">`
    document.body.append(img, source, box)
    const held = box.querySelector('img')!
    expect([img.srcset, source.getAttribute('srcset'), held.getAttribute('srcset')]).toEqual(['', null, null])
    await vi.waitFor(() => expect(tags(consent)).toEqual([`img rule blocked ${T}/big.gif`, `source rule blocked ${T}/s.gif`, `img rule blocked ${T}/ih.gif`]))
    await consent.acceptAll()
    expect([img.srcset, source.getAttribute('srcset'), held.getAttribute('srcset')]).toEqual([`/small.png 1x, ${T}/big.gif 2x`, `${T}/s.gif`, `${T}/ih.gif 1x`])
  })

  it('leaves a srcset of first-party images alone', async () => {
    const consent = await start()
    const img = new Image()
    img.srcset = '/a.png 1x, /b.png 2x'
    expect(img.getAttribute('srcset')).toBe('/a.png 1x, /b.png 2x')
    expect(consent.audit()).toEqual([])
  })
})

describe('other ways to set a URL or parse HTML', () => {
  it('holds setAttributeNS(null, "src") and a link href set by the property or setAttribute', async () => {
    const consent = await start()
    const img = new Image()
    img.setAttributeNS(null, 'src', `${T}/ns.gif`)
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = `${T}/a.css`
    const preload = document.createElement('link')
    preload.setAttribute('href', `${T}/p.js`)
    expect([img.getAttribute('src'), link.getAttribute('href'), preload.getAttribute('href')]).toEqual([null, null, null])
    expect(tags(consent)).toEqual([`img rule blocked ${T}/ns.gif`, `link rule blocked ${T}/a.css`, `link rule blocked ${T}/p.js`])
    await consent.acceptAll()
    expect([img.getAttribute('src'), link.getAttribute('href'), preload.getAttribute('href')]).toEqual([`${T}/ns.gif`, `${T}/a.css`, `${T}/p.js`])
  })

  it('hands outerHTML, shadow roots and contextual fragments their HTML with only the tracker tags held', async () => {
    const consent = await start()
    const span = document.createElement('span')
    document.body.append(span)
    span.outerHTML = `<i>x</i><img src="${T}/oh.gif">`
    const root = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' })
    root.innerHTML = `<img src="${T}/sr.gif" alt="shadow">`
    const fragment = document.createRange().createContextualFragment(`<script src="${T}/f.js" async></script><b>y</b>`)
    expect(document.body.querySelector('img')!.outerHTML).toBe(`<img data-src="${T}/oh.gif" data-consent-rule="marketing">`)
    expect(document.body.querySelector('i')!.outerHTML).toBe('<i>x</i>')
    expect(root.innerHTML).toBe(`<img alt="shadow" data-src="${T}/sr.gif" data-consent-rule="marketing">`)
    const script = fragment.querySelector('script')!
    expect([script.type, script.getAttribute('src'), script.dataset.consentRule]).toEqual(['text/plain', `${T}/f.js`, 'marketing'])
    document.body.append(fragment)
    await vi.waitFor(() => expect(tags(consent).sort()).toEqual([`img rule blocked ${T}/oh.gif`, `img rule blocked ${T}/sr.gif`, `script rule blocked ${T}/f.js`]))
  })

  it('keeps a tracker script in innerHTML inert and unregistered, as it would be without the gate', async () => {
    const consent = await start()
    const box = document.createElement('div')
    box.innerHTML = `<script src="${T}/never.js"></script>`
    document.body.append(box)
    await consent.acceptAll()
    await Promise.resolve()
    // Left exactly as written (the browser never runs an innerHTML script): a copy of it must be a real script.
    expect(box.querySelector('script')!.outerHTML).toBe(`<script src="${T}/never.js"></script>`)
    expect(consent.audit()).toEqual([])
  })

  it('holds a script that page code copies from an innerHTML one until consent', async () => {
    const consent = await start()
    const box = document.createElement('div')
    document.body.append(box)
    box.innerHTML = `<script src="${T}/copied.js"></script>`
    const copy = document.createElement('script')
    for (const a of box.querySelector('script')!.attributes) copy.setAttribute(a.name, a.value)
    box.replaceChildren(copy)
    await Promise.resolve()
    expect(copy.getAttribute('src')).toBeNull()
    expect(copy.type).toBe('')
    expect(consent.audit().map((t) => [t.kind, t.state, t.url])).toEqual([['script', 'blocked', `${T}/copied.js`]])
  })
})

describe('srcdoc, media and plugin URLs', () => {
  it('gives an iframe its srcdoc with only the tracker tags held, set by setAttribute or inside an HTML string', async () => {
    await start()
    const own = '<p>mine &amp; yours</p><img src="/own.png">'
    const frame = document.createElement('iframe')
    frame.setAttribute('srcdoc', `${own}<script src="${T}/sd.js"></script>`)
    expect(frame.getAttribute('srcdoc')).toBe(`${own}<script src="${T}/sd.js" type="text/plain" data-consent-rule="marketing"></script>`)
    const first = document.createElement('iframe')
    first.setAttribute('srcdoc', own)
    expect(first.getAttribute('srcdoc')).toBe(own)
    const box = document.createElement('div')
    box.innerHTML = `<iframe srcdoc="<img src=&quot;${T}/ih.gif&quot;>" title="ad"></iframe>`
    expect(box.querySelector('iframe')!.getAttribute('srcdoc')).toBe(`<img data-src="${T}/ih.gif" data-consent-rule="marketing">`)
  })

  it('holds video src and poster, audio src, object data and embed src, then gives each back', async () => {
    const consent = await start()
    const video = document.createElement('video')
    video.src = `${T}/v.mp4`
    video.setAttribute('poster', `${T}/p.gif`)
    const object = document.createElement('object')
    object.setAttribute('data', `${T}/o.html`)
    const embed = document.createElement('embed')
    embed.setAttribute('src', `${T}/e.html`)
    const attrs = () => [video.getAttribute('src'), video.getAttribute('poster'), object.getAttribute('data'), embed.getAttribute('src')]
    expect(attrs()).toEqual([null, null, null, null])
    expect(tags(consent)).toEqual([`video rule blocked ${T}/v.mp4`, `video rule blocked ${T}/p.gif`, `object rule blocked ${T}/o.html`, `embed rule blocked ${T}/e.html`])
    await consent.acceptAll()
    expect(attrs()).toEqual([`${T}/v.mp4`, `${T}/p.gif`, `${T}/o.html`, `${T}/e.html`])
  })

  it('leaves a data attribute on an image and first-party media alone', async () => {
    const consent = await start()
    const img = document.createElement('img')
    img.setAttribute('data', `${T}/not-a-url-here`)
    const video = document.createElement('video')
    video.setAttribute('poster', '/own.png')
    expect([img.getAttribute('data'), video.getAttribute('poster')]).toEqual([`${T}/not-a-url-here`, '/own.png'])
    expect(consent.audit()).toEqual([])
  })
})

describe('released scripts', () => {
  it('report the live script that replaced the held one', async () => {
    const consent = await start()
    const box = document.createElement('div')
    document.body.append(box)
    box.append(document.createRange().createContextualFragment(`<script src="${T}/r.js"></script>`))
    await vi.waitFor(() => expect(consent.audit()).toHaveLength(1))
    const held = box.querySelector('script')!
    await consent.acceptAll()
    await vi.waitFor(() => expect(consent.audit()[0].state).toBe('error'))
    const { element } = consent.audit()[0]
    expect(element).not.toBe(held)
    expect(element).toBe(box.querySelector('script'))
    expect(element!.isConnected).toBe(true)
  })
})
