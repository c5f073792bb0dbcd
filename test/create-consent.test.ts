import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent } from '../src/index'
import { readCookie } from '../src/cookie-read'
import { writeCookie } from '../src/cookie'
import { loadKey, seal } from '../src/seal'

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterEach(() => {
  vi.useRealTimers()
  document.cookie = 'minopio_consent=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

describe('start-up', () => {
  it('starts undecided with reason "loading" and every optional category off until the cookie is read', async () => {
    const consent = createConsent()
    expect(consent.get()).toMatchObject({ decided: false, reason: 'loading' })
    expect(consent.get().categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
    expect(await consent.ready).toMatchObject({ decided: false, reason: 'none' })
  })

  it('reads a cookie the first release wrote (record v1) as a decision, its services following their categories: no one is asked again', async () => {
    const KEY = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80'
    const v1 = { v: 1, id: '846d3a11-1297-4de8-b77b-88019c690430', t: Math.floor(Date.now() / 1000) - 60, p: '1', c: ['necessary', 'marketing'], s: 'banner', h: null }
    writeCookie('minopio_consent', await seal(JSON.stringify(v1), await loadKey(KEY, 'minopio_consent'), 'minopio_consent'), { domain: null, maxAgeDays: 182 })
    const state = await createConsent({
      encryptionKey: KEY,
      categories: ['necessary', 'analytics', { id: 'marketing', services: [{ id: 'pixelwave', name: 'Pixelwave' }, { id: 'kiln-films', name: 'Kiln Films' }] }],
    }).ready
    expect(state).toMatchObject({ decided: true, reason: null, consentId: v1.id, source: 'banner' })
    expect(state.categories).toEqual({ necessary: true, analytics: false, marketing: true })
    expect(state.services).toEqual({ pixelwave: true, 'kiln-films': true })
  })

  it('asks again when the policy version changed, keeping the visitor\'s consent id', async () => {
    const old = await createConsent({ policyVersion: '2024-01' }).acceptAll()
    const state = await createConsent({ policyVersion: '2024-05' }).ready
    expect(state).toMatchObject({ decided: false, reason: 'policy-changed', consentId: old.consentId })
    expect(state.categories.marketing).toBe(false)
  })

  it('asks again once the consent is older than the configured lifetime (e.g. after the site shortened it)', async () => {
    await createConsent({ cookieMaxAgeDays: 30 }).acceptAll()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 2 * 86400_000)
    expect(await createConsent({ cookieMaxAgeDays: 1 }).ready).toMatchObject({ decided: false, reason: 'expired' })
  })

  it('treats a tampered cookie as no consent, never as consent', async () => {
    await createConsent().acceptAll()
    const value = readCookie('minopio_consent')!
    const last = value.at(-2) === 'A' ? 'B' : 'A'
    document.cookie = `minopio_consent=${value.slice(0, -2)}${last}${value.at(-1)}; path=/`
    const state = await createConsent().ready
    expect(state).toMatchObject({ decided: false, reason: 'unreadable' })
    expect(Object.values(state.categories).filter(Boolean)).toEqual([true])
  })

  it('ignores granted categories the config no longer has, and leaves new ones off', async () => {
    await createConsent({ categories: ['necessary', 'analytics', 'legacy'] }).acceptAll()
    const state = await createConsent({ categories: ['necessary', 'analytics', 'video'] }).ready
    expect(state.categories).toEqual({ necessary: true, analytics: true, video: false })
  })

  it('records Global Privacy Control in the state', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
    try {
      expect((await createConsent().ready).gpc).toBe(true)
      expect((await createConsent({ honorGPC: false }).ready).gpc).toBe(false)
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl
    }
  })
})
