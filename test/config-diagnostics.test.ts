import { afterEach, describe, expect, it, vi } from 'vitest'
import { createConsent } from '../src/index'
import { TEXT_KEYS, diagnose, resolveConfig } from '../src/config-diagnostics'
import { DEV_NOTICE_ID } from '../src/dev-notice'
import en from '../ui/i18n/en'

const warningsOf = (config: unknown) => resolveConfig({ config }).warnings
const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url)
const notice = () => document.getElementById(DEV_NOTICE_ID)
const noticeText = () => notice()?.shadowRoot?.textContent ?? ''

afterEach(() => {
  notice()?.remove()
  setUrl('http://localhost:3000/')
})

describe('warnings: ignored but probably a mistake', () => {
  it('knows every text key the UI reads', () => {
    expect([...TEXT_KEYS].sort()).toEqual(Object.keys(en).sort())
  })

  it('names unknown texts keys, flat or per language, with the key a typo meant', () => {
    expect(warningsOf({ texts: { bannerTitel: 'Hi', fr: { acceptAl: 'OK', rejectAll: 'Non' } } })).toEqual([
      'texts.bannerTitel: not a text key, ignored (did you mean "bannerTitle"?)',
      'texts.fr.acceptAl: not a text key, ignored (did you mean "acceptAll"?)',
    ])
  })

  it('names category texts for a category that is not configured, and unknown keys inside them', () => {
    expect(warningsOf({ texts: { categories: { markting: { label: 'Ads' }, analytics: { titel: 'Stats' } } } })).toEqual([
      'texts.categories.markting: not a configured category, ignored (did you mean "marketing"?)',
      'texts.categories.analytics.titel: not a text key, ignored (expected label or description)',
    ])
  })

  it('warns about a lang with no texts, but not about a built-in one, its regional variant or one the config adds', () => {
    expect(warningsOf({ lang: 'pt' })).toEqual([expect.stringMatching(/^lang: "pt" has no texts \(built in: en, fr, nl, de, es, it; add texts\.pt for it\)/)])
    expect(warningsOf({ lang: 'fr-BE' })).toEqual([])
    expect(warningsOf({ lang: 'pt', texts: { pt: { acceptAll: 'Aceitar' } } })).toEqual([])
  })

  it('never makes a config invalid', () => {
    expect(resolveConfig({ config: { lang: 'pt', texts: { bannerTitel: 'x' } } })).toMatchObject({ problems: [], config: { valid: true } })
  })
})

describe('diagnose', () => {
  it('in production: the one console error, no warnings, no notice', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    diagnose({ config: { polcyUrl: '/privacy', lang: 'pt' } }, false)
    expect(error.mock.calls).toEqual([[expect.stringContaining('polcyUrl: unknown key, did you mean "policyUrl"?')]])
    expect(warn).not.toHaveBeenCalled()
    expect(notice()).toBeNull()
  })

  it('in dev mode: also the warnings and a notice listing problems and warnings, which the developer can dismiss', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    diagnose({ config: { polcyUrl: '/privacy', lang: 'pt' } }, true)
    expect(warn.mock.calls).toEqual([[expect.stringMatching(/^\[minopio-consent\] lang: "pt" has no texts/)]])
    expect(noticeText()).toContain('polcyUrl: unknown key, did you mean "policyUrl"?')
    expect(noticeText()).toContain('lang: "pt" has no texts')
    notice()!.shadowRoot!.querySelector('button')!.click()
    expect(notice()).toBeNull()
  })

  it('shows config values in the notice as text, never as markup', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    diagnose({ config: { policyVersion: '<img src=x onerror=alert(1)>', policyUrl: 7 } }, true)
    expect(notice()!.shadowRoot!.querySelector('img')).toBeNull()
    expect(noticeText()).toContain('policyUrl: expected an http(s) URL or a path, got 7')
  })
})

describe('dev mode from createConsent', () => {
  it('on localhost, an invalid config shows the notice with a suggestion', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    createConsent({ polcyUrl: '/privacy' } as never)
    await vi.waitFor(() => expect(noticeText()).toContain('did you mean "policyUrl"?'))
  })

  it('on a production host, an invalid config logs the one error and shows nothing', async () => {
    setUrl('https://shop.example/')
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    createConsent({ polcyUrl: '/privacy' } as never)
    await vi.waitFor(() => expect(error).toHaveBeenCalledTimes(1))
    expect(notice()).toBeNull()
  })

  it('with debug: true, a valid config is checked too, and its warnings shown', async () => {
    setUrl('https://shop.example/')
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    createConsent({ debug: true, texts: { bannerTitel: 'Hello' } })
    await vi.waitFor(() => expect(noticeText()).toContain('texts.bannerTitel: not a text key, ignored (did you mean "bannerTitle"?)'))
  })
})
