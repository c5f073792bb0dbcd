import { describe, expect, it } from 'vitest'
import { click, nextChange, q, shadow, startUi, view } from './ui-harness'

describe('banner', () => {
  it('is a region labelled by its title, with the text and the policy link', async () => {
    await startUi({ policyUrl: '/privacy' })
    const region = q('section')!
    expect(q(`#${region.getAttribute('aria-labelledby')}`)?.textContent).toBe('Your privacy')
    expect(region.textContent).toContain('We use cookies')
    expect(q<HTMLAnchorElement>('a')?.getAttribute('href')).toBe('/privacy')
  })

  it('gives Accept all and Reject all the same button style; Customize is the third choice', async () => {
    await startUi()
    const [accept, reject, customize] = ['accept-all', 'reject-all', 'customize'].map((a) => q(`[data-action="${a}"]`)!)
    expect(accept.tagName).toBe('BUTTON')
    expect(reject.className).toBe(accept.className)
    expect(customize.textContent).toBe('Customize')
  })

  it('accepts all from the banner, logs it as source "banner" with the hash of the texts shown, and closes', async () => {
    const api = await startUi()
    const change = nextChange(api)
    click('accept-all')
    expect(view()).toBeNull()
    const state = await change
    expect(state).toMatchObject({ decided: true, change: { action: 'accept_all', shownLang: 'en' }, source: 'banner' })
    expect(state.categories).toEqual({ necessary: true, analytics: true, marketing: true, partners: true })
    expect(state.change?.textsHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('rejects all from the banner: every optional category off', async () => {
    const api = await startUi()
    const change = nextChange(api)
    click('reject-all')
    expect(await change).toMatchObject({ decided: true, change: { action: 'reject_all' }, source: 'banner' })
    expect(api.get().categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
  })

  it('closes when page code refuses (a site\'s own "refuse" link): the decision was made, nothing is left to ask', async () => {
    const api = await startUi()
    expect(q('section')).not.toBeNull()
    const state = await api.rejectAll()
    expect(state).toMatchObject({ decided: true, change: { action: 'reject_all' }, source: 'api' })
    expect(view()).toBeNull()
    expect(q('section')).toBeNull()
  })

  it('opens the preferences with Customize', async () => {
    await startUi()
    click('customize')
    expect(view()).toBe('preferences')
  })

  it('says the policy changed when the stored consent is from another policy version', async () => {
    const { createConsent } = await import('../src/index')
    await createConsent({ policyVersion: '1' }).acceptAll()
    await startUi({ policyVersion: '2' })
    expect(shadow().textContent).toContain('Our privacy policy has changed')
  })

  it('says the browser privacy signal turned marketing off when GPC is on', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
    try {
      await startUi()
      expect(shadow().textContent).toContain('privacy signal (GPC), so marketing and partners are off')
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl
    }
  })

  it('shows markup in a config text as text, never as HTML', async () => {
    await startUi({ texts: { bannerTitle: '<img src=x onerror="window.pwned=1">Hi' } })
    expect(q('h2')?.textContent).toBe('<img src=x onerror="window.pwned=1">Hi')
    expect(shadow().querySelector('img')).toBeNull()
  })
})
