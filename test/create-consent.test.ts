import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent } from '../src/index'
import { readCookie } from '../src/cookie-read'

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
