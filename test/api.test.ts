import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DOM_EVENT } from '../src/api'
import { hashTexts } from '../src/decide'
import { createConsent } from '../src/index'
import type { ConsentApi } from '../src/index'
import { readCookie } from '../src/cookie-read'
import type { ConsentState } from '../src/types'

const running: ConsentApi[] = []
const start = () => {
  const consent = createConsent({ policyVersion: '2024-05' })
  running.push(consent)
  return consent
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterEach(() => {
  for (const consent of running.splice(0)) consent.destroy()
  document.cookie = 'minopio_consent=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

describe('actions', () => {
  it('accept all grants every category and stores it', async () => {
    const consent = start()
    const state = await consent.acceptAll()
    expect(state).toMatchObject({ decided: true, change: { action: 'accept_all' }, source: 'api', reason: null })
    expect(state.categories).toEqual({ necessary: true, analytics: true, marketing: true, partners: true })
    expect(consent.has('partners')).toBe(true)
    expect(readCookie('minopio_consent')).toMatch(/^1\./)
  })

  it('reject all keeps only what is required', async () => {
    const consent = start()
    await consent.acceptAll()
    const state = await consent.rejectAll()
    expect(state.categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
    expect(state.change?.action).toBe('reject_all')
  })

  it('set changes only the named categories, keeps the consent id, and never turns a required one off', async () => {
    const consent = start()
    const first = await consent.set({ analytics: true })
    const second = await consent.set({ marketing: true, necessary: false })
    expect(second.categories).toEqual({ necessary: true, analytics: true, marketing: true, partners: false })
    expect(second.consentId).toBe(first.consentId)
    expect(second.change?.eventId).not.toBe(first.change?.eventId)
    await expect(consent.set({ ads: true })).rejects.toThrow('"ads" is not a configured category (have: necessary, analytics, marketing, partners)')
    await expect(consent.set({ marketing: 'yes' as never })).rejects.toThrow('marketing must be true or false')
    expect(consent.get().categories.marketing).toBe(true)
  })

  it('takes null options as no options, as page code passes them', async () => {
    const consent = start()
    expect(await consent.acceptAll(null as never)).toMatchObject({ decided: true, change: { action: 'accept_all' }, source: 'api' })
    expect((await consent.set({ marketing: false }, null as never)).categories.marketing).toBe(false)
    expect(await consent.withdraw(null as never)).toMatchObject({ change: { action: 'withdraw' }, source: 'api' })
    expect(await consent.rejectAll(undefined)).toMatchObject({ change: { action: 'reject_all', textsHash: null } })
    expect(readCookie('minopio_consent')).toMatch(/^1\./)
  })

  it('keeps set({ marketing: true }) across a simulated reload', async () => {
    const before = await start().set({ marketing: true })
    const after = await start().ready
    expect(after).toMatchObject({ decided: true, consentId: before.consentId, source: 'api', change: null })
    expect(after.categories).toEqual({ necessary: true, analytics: false, marketing: true, partners: false })
  })

  it('withdraw refuses every optional category', async () => {
    const consent = start()
    await consent.acceptAll()
    const state = await consent.withdraw()
    expect(state).toMatchObject({ decided: true, change: { action: 'withdraw' } })
    expect(state.categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
  })

  it('forget deletes the cookie and the key, asks again, and a copy of the old cookie is no longer trusted', async () => {
    const consent = start()
    await consent.acceptAll()
    const old = readCookie('minopio_consent')!
    const changes: ConsentState[] = []
    consent.on('change', (s) => changes.push(s))
    await consent.forget()
    expect(readCookie('minopio_consent')).toBeUndefined()
    expect(consent.get()).toMatchObject({ decided: false, reason: 'none', consentId: null })
    expect(changes.map((s) => s.change?.action)).toEqual(['forget'])
    expect(consent.stores.$view.get()).toBe('banner')
    document.cookie = `minopio_consent=${old}; path=/`
    expect(await start().ready).toMatchObject({ decided: false, reason: 'unreadable' })
  })

  it('does not trust an older cookie written back after reject all: the next page asks again', async () => {
    const consent = start()
    await consent.acceptAll()
    const accepted = readCookie('minopio_consent')!
    await consent.rejectAll()
    document.cookie = `minopio_consent=${accepted}; path=/`
    const next = await start().ready
    expect(next).toMatchObject({ decided: false, reason: 'unreadable' })
    expect(next.categories.marketing).toBe(false)
  })

  it('stores a new decision made after forget with a new key, readable on the next page', async () => {
    const consent = start()
    const first = await consent.acceptAll()
    await consent.forget()
    const second = await consent.set({ analytics: true })
    expect(second.consentId).not.toBe(first.consentId)
    expect(await start().ready).toMatchObject({ decided: true, consentId: second.consentId, categories: { analytics: true, marketing: false } })
  })

  it('applies a decision made before the cookie was read after reading it, not before', async () => {
    await start().acceptAll()
    const consent = start()
    const pending = consent.rejectAll()
    expect(consent.get().reason).toBe('loading')
    expect((await pending).categories.marketing).toBe(false)
    expect((await start().ready).categories.marketing).toBe(false)
  })

  it('records the source and the hash of the texts shown', async () => {
    const consent = start()
    const texts = { bannerTitle: 'Cookies', acceptAll: 'Accept all' }
    const state = await consent.acceptAll({ source: 'banner', shown: { texts, lang: 'en' } })
    expect(state).toMatchObject({ source: 'banner', change: { shownLang: 'en', textsHash: await hashTexts({ acceptAll: 'Accept all', bannerTitle: 'Cookies' }) } })
    expect(state.change?.textsHash).toMatch(/^[0-9a-f]{64}$/)
    expect((await consent.rejectAll()).change?.textsHash).toBeNull()
  })

  it('keeps the last change at the top level of get() too, where the API has always had it', async () => {
    const texts = { bannerTitle: 'Cookies', acceptAll: 'Accept all' }
    const state = await start().acceptAll({ source: 'banner', shown: { texts, lang: 'en' } })
    const { action, eventId, textsHash, shownLang } = state.change!
    expect(state).toMatchObject({ action, eventId, textsHash, shownLang })
    expect(action).toBe('accept_all')
    // Read back from the cookie: no change in this page view, the stored hash of the texts shown.
    expect(await start().ready).toMatchObject({ change: null, action: null, eventId: null, textsHash, shownLang: null })
  })
})

describe('the banner', () => {
  it('closes when page code decides (a site\'s own "refuse" link), and stays closed', async () => {
    const consent = start()
    await consent.ready
    consent.show()
    expect(consent.stores.$view.get()).toBe('banner')
    await consent.rejectAll(null as never)
    expect(consent.stores.$view.get()).toBeNull()
    expect(consent.get()).toMatchObject({ decided: true, change: { action: 'reject_all' } })
  })
})

describe('events', () => {
  it('calls change listeners and dispatches minopio:consent on document; unsubscribe works', async () => {
    const consent = start()
    const seen: string[] = []
    const dom: string[] = []
    const listener = (e: Event) => dom.push((e as CustomEvent).detail.type)
    document.addEventListener(DOM_EVENT, listener)
    const off = consent.on('change', (s) => seen.push(s.change!.action))
    await consent.ready
    await consent.acceptAll()
    off()
    await consent.rejectAll()
    document.removeEventListener(DOM_EVENT, listener)
    expect(seen).toEqual(['accept_all'])
    expect(dom.filter((t) => t === 'change')).toEqual(['change', 'change'])
    expect(dom).toContain('ready')
  })

  it('keeps calling the other listeners when one throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const consent = start()
    const seen: string[] = []
    consent.on('change', () => {
      throw new Error('site bug')
    })
    consent.on('change', (s) => seen.push(s.change!.action))
    await consent.acceptAll()
    expect(seen).toEqual(['accept_all'])
    expect(String(error.mock.calls[0][0])).toContain('[minopio-consent] a "change" listener threw')
  })

  it('calls a ready listener added after start-up, and show/hide listeners with the view', async () => {
    const consent = start()
    await consent.ready
    const ready = await new Promise<ConsentState>((resolve) => consent.on('ready', resolve))
    expect(ready.reason).toBe('none')
    const views: Array<string | null> = []
    consent.on('show', (_s, view) => views.push(view))
    consent.on('hide', (_s, view) => views.push(view))
    consent.showPreferences()
    consent.hide()
    expect(views).toEqual(['preferences', null])
  })

  it('opens the preferences from any [data-minopio-open] element', async () => {
    const consent = start()
    await consent.ready
    document.body.innerHTML = '<a href="#" data-minopio-open><span>Cookie settings</span></a>'
    document.querySelector('span')!.click()
    expect(consent.stores.$view.get()).toBe('preferences')
  })

  it('shows the banner after start-up when nothing is decided, and not for a returning visitor', async () => {
    const first = start()
    await first.ready
    await Promise.resolve()
    expect(first.stores.$view.get()).toBe('banner')
    await first.acceptAll()
    const returning = start()
    await returning.ready
    await Promise.resolve()
    expect(returning.stores.$view.get()).toBeNull()
  })

  it('hands out read-only stores: a page script cannot grant without a stored record', async () => {
    const consent = start()
    await consent.ready
    // @ts-expect-error the stores are read-only: no set (a grant must go through an action, which stores and logs it)
    expect(consent.stores.$consent.set).toBeUndefined()
    expect(Object.keys(consent.stores.$view).sort()).toEqual(['get', 'listen', 'subscribe'])
    expect(Object.keys(consent.stores.$tags).sort()).toEqual(['get', 'listen', 'subscribe'])
    expect(() => Object.assign(consent.stores.$consent, { set: () => undefined })).toThrow(TypeError)
    expect(consent.has('marketing')).toBe(false)
    const seen: Array<string | null> = []
    const off = consent.stores.$consent.listen((state) => seen.push(state.change?.action ?? null))
    await consent.acceptAll()
    off()
    expect(seen).toEqual(['accept_all'])
    expect(consent.stores.$consent.get().decided).toBe(true)
  })

  it('destroy() closes the banner, calls no listener again and refuses actions; a new instance takes over', async () => {
    const consent = start()
    await consent.ready
    await Promise.resolve()
    expect(consent.stores.$view.get()).toBe('banner')
    const seen: string[] = []
    consent.on('change', (s) => seen.push(s.change!.action))
    consent.destroy()
    expect(consent.stores.$view.get()).toBeNull()
    await expect(consent.acceptAll()).rejects.toThrow('[minopio-consent] accept_all refused: destroy() was called')
    document.body.innerHTML = '<button data-minopio-open>Cookie settings</button>'
    document.querySelector('button')!.click()
    consent.show()
    expect(consent.stores.$view.get()).toBeNull()
    expect(readCookie('minopio_consent')).toBeUndefined()
    const next = start()
    expect((await next.acceptAll()).decided).toBe(true)
    expect(seen).toEqual([])
    expect(consent.has('marketing')).toBe(false)
    next.destroy()
  })

  it('freezes the API object', () => {
    const consent = start()
    expect(Object.isFrozen(consent)).toBe(true)
    expect(() => Object.assign(consent, { has: () => true })).toThrow()
  })
})
