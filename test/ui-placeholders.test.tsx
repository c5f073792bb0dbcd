import { describe, expect, it } from 'vitest'
import type { ConsentApi } from '../src/api'
import type { ConsentConfig, TagReport } from '../src/types'
import { PLACEHOLDER_ATTR } from '../ui/index'
import { nextChange, publishTags, startUi } from './ui-harness'

const iframeTag = (element: Element, extra: Partial<TagReport> = {}): TagReport => ({
  id: 7, kind: 'iframe', url: 'https://partner.example/widget', hash: null, snippet: null, categories: ['partners'],
  category: 'partners', services: [], via: 'markup', state: 'blocked', times: { blocked: Date.now() }, element, ...extra,
})
// A bare iframe: the real gate (running in these tests) ignores it, so the registry entries below are the only ones.
const setup = async (lang?: string, wrap?: (api: ConsentApi) => ConsentApi, config: ConsentConfig = {}, title = 'Partner widget') => {
  document.body.innerHTML = `<iframe title="${title}" width="560" height="315"></iframe>`
  const api = await startUi(lang ? { ...config, lang } : config, wrap)
  const frame = document.querySelector('iframe')!
  return { api, frame }
}
const placeholder = () => document.querySelector<HTMLElement>(`[${PLACEHOLDER_ATTR}]`)
const button = (action: string) => placeholder()!.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!

describe('contextual placeholders', () => {
  it('puts a placeholder of the same size in place of a blocked iframe, naming its category', async () => {
    const { api, frame } = await setup()
    publishTags(api, [iframeTag(frame)])
    const ph = placeholder()!
    expect(ph.nextElementSibling).toBe(frame)
    expect(ph.getAttribute(PLACEHOLDER_ATTR)).toBe('partners')
    expect([ph.style.width, ph.style.height]).toEqual(['560px', '315px'])
    expect(frame.style.display).toBe('none')
    expect(ph.shadowRoot!.textContent).toContain('This content is blocked until you allow Partners.')
    expect(button('allow').textContent).toBe('Allow Partners')
    expect(button('load-once').textContent).toBe('Show this once')
  })

  it('"Allow partners" grants partners as a logged decision with the texts shown', async () => {
    const { api, frame } = await setup()
    publishTags(api, [iframeTag(frame)])
    const change = nextChange(api)
    button('allow').click()
    expect(await change).toMatchObject({ change: { action: 'custom', shownLang: 'en' }, source: 'preferences' })
    expect(api.get().categories.partners).toBe(true)
    expect(api.get().categories.marketing).toBe(false)
  })

  it('"Load once" asks the gate to release that tag only', async () => {
    // The gate's loadOnce is the collaborator here (its release is proven in Chromium): called with the tag's id, nothing stored.
    const seen: number[] = []
    const { api, frame } = await setup(undefined, (real) => ({ ...real, loadOnce: (id: number) => void seen.push(id) }))
    publishTags(api, [iframeTag(frame)])
    button('load-once').click()
    expect(seen).toEqual([7])
    expect(api.get().decided).toBe(false)
  })

  it('removes the placeholder and shows the element again once the tag is released', async () => {
    const { api, frame } = await setup()
    frame.style.display = 'block'
    publishTags(api, [iframeTag(frame)])
    publishTags(api, [iframeTag(frame, { state: 'released', times: { blocked: 1, released: 2 } })])
    expect(placeholder()).toBeNull()
    expect(frame.style.display).toBe('block')
  })

  it('leaves scripts, images and requests alone', async () => {
    const { api, frame } = await setup()
    publishTags(api, [iframeTag(frame, { kind: 'img' }), iframeTag(frame, { id: 8, kind: 'fetch', element: undefined })])
    expect(placeholder()).toBeNull()
  })

  it('speaks the page language', async () => {
    const { api, frame } = await setup('de')
    publishTags(api, [iframeTag(frame)])
    expect(button('allow').textContent).toBe('Partner erlauben')
    expect(button('load-once').textContent).toBe('Nur diesmal anzeigen')
    expect([placeholder()!.lang, placeholder()!.dir]).toEqual(['de', 'ltr'])
  })

  it('names a tag needing several categories as a list in the language shown', async () => {
    const { api, frame } = await setup('fr')
    publishTags(api, [iframeTag(frame, { categories: ['marketing', 'partners'] })])
    expect(button('allow').textContent).toBe('Autoriser «\u202fMarketing et Partenaires\u202f»')
  })

  it('names the content and the service, and "Allow Kiln Films" grants that service only', async () => {
    const config: ConsentConfig = {
      categories: ['necessary', { id: 'marketing', services: [{ id: 'pixelwave', name: 'Pixelwave' }, { id: 'kiln-films', name: 'Kiln Films', description: 'Kiln Films sets cookies to count views.' }] }],
    }
    const { api, frame } = await setup(undefined, undefined, config, 'Kiln Films video')
    publishTags(api, [iframeTag(frame, { categories: ['marketing'], category: 'marketing', services: ['kiln-films'] })])
    expect(placeholder()!.shadowRoot!.querySelector('p')!.textContent).toBe('Kiln Films video — Kiln Films sets cookies to count views.')
    expect(placeholder()!.shadowRoot!.querySelector('[role=group]')!.getAttribute('aria-label')).toBe('Kiln Films video')
    expect(button('allow').textContent).toBe('Allow Kiln Films')
    const change = nextChange(api)
    button('allow').click()
    expect(await change).toMatchObject({ change: { action: 'custom' }, categories: { marketing: false }, services: { 'kiln-films': true, pixelwave: false } })
  })

  it('says which service a content comes from when the service has no description', async () => {
    const config: ConsentConfig = { categories: ['necessary', { id: 'marketing', services: [{ id: 'kiln-films', name: 'Kiln Films' }] }] }
    const { api, frame } = await setup('nl', undefined, config, '')
    publishTags(api, [iframeTag(frame, { categories: ['marketing'], category: 'marketing', services: ['kiln-films'] })])
    expect(placeholder()!.shadowRoot!.querySelector('p')!.textContent).toBe('Deze inhoud komt van Kiln Films en blijft geblokkeerd totdat u Kiln Films toestaat.')
    expect(button('allow').textContent).toBe('Kiln Films toestaan')
  })
})
