import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent } from '../src/index'
import { detectGpc } from '../src/signals'

type GtagWindow = Window & { dataLayer?: IArguments[]; gtag?: unknown }
const w = window as GtagWindow
const pushed = () => (w.dataLayer ?? []).map((args) => [...args])

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  delete w.dataLayer
  delete w.gtag
})
afterEach(() => {
  document.cookie = 'minopio_consent=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

const DENIED = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' }

describe('Google Consent Mode v2', () => {
  it('pushes an all-denied default synchronously at start, as the Arguments object gtag.js reads', async () => {
    const consent = createConsent({ googleConsentMode: true })
    expect(pushed()).toEqual([['consent', 'default', { ...DENIED, wait_for_update: 500 }]])
    expect(Object.prototype.toString.call(w.dataLayer![0])).toBe('[object Arguments]')
    expect(typeof w.gtag).toBe('function')
    await consent.ready
  })

  it('updates once the stored consent is applied and on every change, per the category mapping', async () => {
    const consent = createConsent({ googleConsentMode: { ad_storage: 'marketing', ad_personalization: ['marketing', 'partners'], analytics_storage: 'analytics' } })
    await consent.ready
    await consent.set({ analytics: true })
    await consent.set({ marketing: true })
    await consent.set({ partners: true })
    expect(pushed().slice(1)).toEqual([
      ['consent', 'update', DENIED],
      ['consent', 'update', { ...DENIED, analytics_storage: 'granted' }],
      ['consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'denied', analytics_storage: 'granted' }],
      ['consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' }],
    ])
  })

  it('counts a category as granted only when all its services are', async () => {
    const consent = createConsent({
      googleConsentMode: true,
      categories: ['necessary', 'analytics', { id: 'marketing', services: [{ id: 'pixelwave', name: 'Pixelwave' }, { id: 'kiln-films', name: 'Kiln Films' }] }],
    })
    await consent.ready
    await consent.set({ 'kiln-films': true })
    await consent.set({ marketing: true, pixelwave: false })
    await consent.set({ pixelwave: true })
    expect(pushed().slice(2).map((args) => (args[2] as Record<string, string>).ad_storage)).toEqual(['denied', 'denied', 'granted'])
  })

  it('restores a returning visitor\'s choice with an update right after the default', async () => {
    await createConsent({ googleConsentMode: true }).set({ analytics: true })
    delete w.dataLayer
    await createConsent({ googleConsentMode: true }).ready
    expect(pushed()).toEqual([
      ['consent', 'default', { ...DENIED, wait_for_update: 500 }],
      ['consent', 'update', { ...DENIED, analytics_storage: 'granted' }],
    ])
  })

  it('keeps the page\'s own gtag and dataLayer', async () => {
    const own = () => undefined
    w.gtag = own
    const earlier = { event: 'page' } as unknown as IArguments
    w.dataLayer = [earlier]
    const consent = createConsent({ googleConsentMode: true })
    expect(w.gtag).toBe(own)
    expect(w.dataLayer[0]).toBe(earlier)
    expect([...w.dataLayer[1]].slice(0, 2)).toEqual(['consent', 'default'])
    await consent.ready
  })

  it('leaves a dataLayer that is not an array alone, with one warning, and starts anyway', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const theirs = { owner: 'another script' }
    ;(w as unknown as { dataLayer: unknown }).dataLayer = theirs
    const consent = createConsent({ googleConsentMode: true })
    await consent.acceptAll()
    expect(w.dataLayer).toBe(theirs)
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('dataLayer is not an array'))).toHaveLength(1)
  })

  it('decides and stores the choice although a frozen dataLayer refuses the signal', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    w.dataLayer = Object.freeze([]) as unknown as IArguments[]
    const consent = createConsent({ googleConsentMode: true })
    const state = await consent.acceptAll()
    expect(state.categories.marketing).toBe(true)
    expect(document.cookie).toMatch(/minopio_consent=1\./)
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('refused a Google Consent Mode signal'))).toHaveLength(1)
  })

  it('sends nothing more once destroy() ran, not even the stored consent read after it', async () => {
    const consent = createConsent({ googleConsentMode: true })
    consent.destroy()
    await consent.ready
    expect(pushed()).toEqual([['consent', 'default', { ...DENIED, wait_for_update: 500 }]])
  })

  it('stays denied with an invalid config', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const consent = createConsent({ googleConsentMode: true, cookieName: 'bad name' })
    await consent.ready
    expect(pushed()).toEqual([['consent', 'default', { ...DENIED, wait_for_update: 500 }]])
  })

  it('touches neither dataLayer nor gtag when off', async () => {
    await createConsent().ready
    expect(w.dataLayer).toBeUndefined()
    expect(w.gtag).toBeUndefined()
  })
})

describe('Global Privacy Control', () => {
  it('is read from navigator.globalPrivacyControl, true only when exactly true', () => {
    expect(detectGpc()).toBe(false)
    for (const [value, expected] of [[true, true], ['1', false], [false, false]] as const) {
      Object.defineProperty(navigator, 'globalPrivacyControl', { value, configurable: true })
      expect(detectGpc()).toBe(expected)
    }
    delete (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl
  })
})
