import { afterEach, describe, expect, it, vi } from 'vitest'
import { configErrorMessage, resolveConfig, resolveLanguage } from '../src/config'
import { createConsent } from '../src/create-consent'

const KEY = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80' // 32 bytes, base64url

const problemsOf = (config: unknown) => resolveConfig({ config }).problems

afterEach(() => {
  for (const name of Object.keys(Object.fromEntries(document.cookie.split('; ').map((c) => c.split('='))))) {
    document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  }
})

describe('config defaults', () => {
  it('gives the four default categories with necessary locked on, and the documented defaults', () => {
    const { config, problems } = resolveConfig({})
    expect(problems).toEqual([])
    expect(config.valid).toBe(true)
    expect(config.categories.map((c) => [c.id, c.required])).toEqual([
      ['necessary', true], ['analytics', false], ['marketing', false], ['partners', false],
    ])
    expect(config).toMatchObject({
      policyVersion: '1', endpoint: null, cookieName: 'minopio_consent', cookieMaxAgeDays: 182,
      endpointCredentials: 'omit', reloadOnRevoke: 'auto', honorGPC: true, settingsButton: true, googleConsentMode: null,
    })
  })

  it('adds necessary when a site lists only its optional categories', () => {
    const { config } = resolveConfig({ config: { categories: ['analytics', { id: 'video', required: false, label: { en: 'Video', fr: 'Vidéo' } }] } })
    expect(config.categories.map((c) => c.id)).toEqual(['necessary', 'analytics', 'video'])
    expect(config.categories[2].label).toEqual({ en: 'Video', fr: 'Vidéo' })
  })

  it('takes endpoint, policy version and language from the script tag, and lets the config object win', () => {
    const dataset = { endpoint: '/from-tag', policyVersion: 'tag-1', lang: 'de' }
    expect(resolveConfig({ dataset }).config).toMatchObject({ endpoint: '/from-tag', policyVersion: 'tag-1', lang: 'de' })
    expect(resolveConfig({ dataset, config: { endpoint: '/api/consent', lang: 'fr' } }).config).toMatchObject({ endpoint: '/api/consent', policyVersion: 'tag-1', lang: 'fr' })
  })

  it('maps Google Consent Mode true to the standard category mapping', () => {
    expect(resolveConfig({ config: { googleConsentMode: true } }).config.googleConsentMode).toEqual({
      ad_storage: ['marketing'], ad_user_data: ['marketing'], ad_personalization: ['marketing'], analytics_storage: ['analytics'],
    })
  })
})

describe('language', () => {
  it('picks config, then <html lang>, then the browser, reducing regional tags and falling back to English', () => {
    const langs = ['en', 'fr', 'nl', 'de']
    expect(resolveLanguage(['fr-BE'], langs)).toBe('fr')
    expect(resolveLanguage([null, 'NL'], langs)).toBe('nl')
    expect(resolveLanguage(['pt-BR', 'es', 'de-AT'], langs)).toBe('de')
    expect(resolveLanguage(['ja'], langs)).toBe('en')
  })

  it('offers a language the config brings texts for', () => {
    expect(resolveConfig({ config: { lang: 'es', texts: { es: { bannerTitle: 'Cookies' } } } }).config.lang).toBe('es')
  })
})

describe('invalid config: each bad key is named', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['unknown key', { endpiont: '/api' }, /endpiont is not a config key/],
    ['categories not an array', { categories: 'marketing' }, /categories must be a non-empty array/],
    ['empty categories', { categories: [] }, /categories must be a non-empty array/],
    ['bad category id', { categories: ['Ads Team'] }, /categories\[0\]\.id must be a lowercase id/],
    ['duplicate category', { categories: ['analytics', 'analytics'] }, /categories\[1\]: duplicate category id "analytics"/],
    ['unknown category key', { categories: [{ id: 'video', lable: 'Video' }] }, /categories\[0\]\.lable is not a category key/],
    ['required not boolean', { categories: [{ id: 'video', required: 'yes' }] }, /categories\[0\]\.required must be true or false/],
    ['label not text', { categories: [{ id: 'video', label: 42 }] }, /categories\[0\]\.label must be a string/],
    ['services malformed', { categories: [{ id: 'video', services: [{ title: 'x' }] }] }, /categories\[0\]\.services must be an array/],
    ['policyVersion number', { policyVersion: 2024 }, /policyVersion must be a non-empty string/],
    ['endpoint not http', { endpoint: 'javascript:alert(1)' }, /endpoint must be an http\(s\) URL/],
    ['endpoint not string', { endpoint: 42 }, /endpoint must be a URL string/],
    ['policyUrl bad', { policyUrl: 'ftp://x/y' }, /policyUrl must be an http\(s\) URL/],
    ['endpointHeaders', { endpointHeaders: { 'X-Key': 1 } }, /endpointHeaders must be an object/],
    ['endpointCredentials', { endpointCredentials: 'always' }, /endpointCredentials must be "omit"/],
    ['rules not array', { rules: {} }, /rules must be an array/],
    ['rule unknown category', { rules: [{ match: 'ads.example', category: 'ads' }] }, /rules\[0\]\.category "ads" is not a configured category \(have: necessary, analytics, marketing, partners\)/],
    ['rule bad match', { rules: [{ match: '', category: 'marketing' }] }, /rules\[0\]\.match must be a host/],
    ['cookieName', { cookieName: 'my consent' }, /cookieName must be a cookie token/],
    ['cookieDomain foreign', { cookieDomain: 'example.org' }, /cookieDomain "example.org" must be this host or a parent/],
    ['cookieMaxAgeDays', { cookieMaxAgeDays: 500 }, /cookieMaxAgeDays must be a number of days from 1 to 400/],
    ['encryptionKey short', { encryptionKey: 'abc' }, /encryptionKey must be a 256-bit key in base64url/],
    ['encryptionKey padded base64', { encryptionKey: KEY + '=' }, /encryptionKey must be a 256-bit key/],
    ['clearOnRevoke category', { clearOnRevoke: { ads: ['_fbp'] } }, /clearOnRevoke\.ads is not a configured category/],
    ['clearOnRevoke list', { clearOnRevoke: { marketing: '_fbp' } }, /clearOnRevoke\.marketing must be an array/],
    ['reloadOnRevoke', { reloadOnRevoke: 'sometimes' }, /reloadOnRevoke must be "auto", true or false/],
    ['honorGPC', { honorGPC: 'yes' }, /honorGPC must be true or false/],
    ['settingsButton', { settingsButton: 1 }, /settingsButton must be true or false/],
    ['googleConsentMode type', { googleConsentMode: { ad_click: 'marketing' } }, /googleConsentMode\.ad_click is not a consent type/],
    ['googleConsentMode category', { googleConsentMode: { ad_storage: 'ads' } }, /googleConsentMode\.ad_storage must name configured categories/],
    ['lang', { lang: 'French!' }, /lang must be a language tag/],
    ['texts not object', { texts: 'Hello' }, /texts must be an object/],
    ['texts leaf not string', { texts: { en: { bannerTitle: 7 } } }, /texts\.en\.bannerTitle must be a string/],
    ['nonce', { nonce: 5 }, /nonce must be a string/],
    ['config not object', 'endpoint=/api', /config must be an object/],
  ]
  it.each(cases)('%s', (_name, config, message) => {
    const { problems, config: resolved } = resolveConfig({ config })
    expect(problems.join('\n')).toMatch(message)
    expect(resolved.valid).toBe(false)
  })

  it('accepts every documented key in its documented form', () => {
    expect(problemsOf({
      categories: ['necessary', { id: 'analytics', label: 'Stats', description: { en: 'Counts', fr: 'Compte' }, services: [{ name: 'Matomo', cookies: ['_pk_id'] }] }, 'marketing', 'partners'],
      policyVersion: '2024-05', policyUrl: '/privacy', endpoint: 'https://log.example/api', endpointHeaders: { 'X-Site': 'minopio' },
      endpointCredentials: 'include', rules: [{ match: 'ads.example', category: 'marketing' }, { match: /tracker\.test\/px/, category: 'analytics' }],
      cookieName: 'consent', cookieDomain: location.hostname, cookieMaxAgeDays: 365, encryptionKey: KEY,
      clearOnRevoke: { marketing: ['_fbp', /^_gcl_/] }, reloadOnRevoke: false, honorGPC: false,
      googleConsentMode: { analytics_storage: ['analytics'] }, lang: 'nl', texts: { bannerTitle: 'Hi', fr: { bannerTitle: 'Salut' } },
      settingsButton: false, uiUrl: '/ui.js', nonce: 'abc',
    })).toEqual([])
  })

  it('prints one prefixed console error naming every bad key, and fails closed', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const consent = createConsent({ policyVersion: 7, rules: [{ match: 'ads.example', category: 'ads' }] } as never)
    expect(error).toHaveBeenCalledTimes(1)
    const message = String(error.mock.calls[0][0])
    expect(message.startsWith('[minopio-consent] invalid config')).toBe(true)
    expect(message).toContain('policyVersion')
    expect(message).toContain('rules[0].category "ads"')
    const state = await consent.ready
    expect(state).toMatchObject({ decided: false, reason: 'invalid-config' })
    await expect(consent.acceptAll()).rejects.toThrow(/config is invalid/)
    expect(consent.has('marketing')).toBe(false)
    expect(consent.get().categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
  })

  it('formats the message as one line per problem', () => {
    expect(configErrorMessage(['a', 'b'])).toBe('[minopio-consent] invalid config, so every optional category stays blocked until it is fixed:\n- a\n- b')
  })
})
