import { afterEach, describe, expect, it, vi } from 'vitest'
import { readConfig, resolveLanguage } from '../src/config'
import { configErrorMessage, resolveConfig } from '../src/config-diagnostics'
import { createConsent } from '../src/index'

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

// A service with every key the config accepts.
const SERVICE = {
  id: 'kiln-films', name: 'Kiln Films', provider: 'Kiln Films Oy', description: { en: 'Counts views', fr: 'Compte les vues' },
  privacyUrl: 'https://kiln.example/privacy', cookies: ['_kf', { name: /^_kf_/, lifetime: '1 year', purpose: { en: 'Counts views' } }],
  match: ['video.example', /kiln\.example\/player/],
}

describe('invalid config: each bad key is named', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['misspelt key', { endpiont: '/api' }, /endpiont: unknown key, did you mean "endpoint"\?/],
    ['unknown key, nothing close', { zzzz: '/api' }, /zzzz: expected one of categories, policyVersion/],
    ['categories not an array', { categories: 'marketing' }, /categories: expected a non-empty array/],
    ['empty categories', { categories: [] }, /categories: expected a non-empty array/],
    ['bad category id', { categories: ['Ads Team'] }, /categories\[0\]\.id: expected a lowercase id like "marketing", got "Ads Team"/],
    ['duplicate category', { categories: ['analytics', 'analytics'] }, /categories\[1\]: expected a unique id \("analytics" is used twice\)/],
    ['misspelt category key', { categories: [{ id: 'video', lable: 'Video' }] }, /categories\[0\]\.lable: unknown key, did you mean "label"\?/],
    ['unknown category key', { categories: [{ id: 'video', colour: 'red' }] }, /categories\[0\]\.colour: expected one of id, required/],
    ['required not boolean', { categories: [{ id: 'video', required: 'yes' }] }, /categories\[0\]\.required: expected true or false, got "yes"/],
    ['label not text', { categories: [{ id: 'video', label: 42 }] }, /categories\[0\]\.label: expected a string or/],
    ['services malformed', { categories: [{ id: 'video', services: [{ title: 'x' }] }] }, /categories\[0\]\.services: expected an array of \{ name/],
    ['service without a name', { categories: [{ id: 'video', services: [{ id: 'kiln-films' }] }] }, /categories\[0\]\.services: expected an array of \{ name/],
    ['service id used twice', { categories: [{ id: 'video', services: [{ id: 'kiln', name: 'K' }] }, { id: 'ads', services: [{ id: 'kiln', name: 'K2' }] }] },
      /categories\[1\]\.services\[0\]\.id: expected a unique id \("kiln" is already a category or service id\), got "kiln"/],
    ['service id of a category', { categories: ['marketing', { id: 'video', services: [{ id: 'marketing', name: 'M' }] }] }, /categories\[1\]\.services\[0\]\.id: expected a unique id/],
    ['service id malformed', { categories: [{ id: 'video', services: [{ id: 'Kiln Films', name: 'K' }] }] }, /categories\[0\]\.services\[0\]\.id: expected a lowercase id like "kiln-films"/],
    ['service unknown key', { categories: [{ id: 'video', services: [{ name: 'K', url: '/k' }] }] }, /categories\[0\]\.services\[0\]\.url: expected one of id, name, provider/],
    ['service cookie malformed', { categories: [{ id: 'video', services: [{ name: 'K', cookies: [{ name: 'a', ttl: 1 }] }] }] }, /categories\[0\]\.services\[0\]\.cookies: expected an array of cookie names/],
    ['service match malformed', { categories: [{ id: 'video', services: [{ name: 'K', match: 'k.example' }] }] }, /categories\[0\]\.services\[0\]\.match: expected an array of hosts/],
    ['rule with service and category', { rules: [{ match: 'a.example', service: 'kiln', category: 'marketing' }] }, /rules\[0\]\.service: expected a service id, without a category/],
    ['policyVersion number', { policyVersion: 2024 }, /policyVersion: expected a non-empty string like "2024-05", got 2024/],
    ['endpoint not http', { endpoint: 'javascript:alert(1)' }, /endpoint: expected an http\(s\) URL/],
    ['endpoint not string', { endpoint: 42 }, /endpoint: expected an http\(s\) URL or a path, got 42/],
    ['policyUrl bad', { policyUrl: 'ftp://x/y' }, /policyUrl: expected an http\(s\) URL/],
    ['endpointHeaders', { endpointHeaders: { 'X-Key': 1 } }, /endpointHeaders: expected \{ header: string \}, got \{\"X-Key\":1\}/],
    ['endpointCredentials', { endpointCredentials: 'always' }, /endpointCredentials: expected "omit", "same-origin" or "include", got "always"/],
    ['rules not array', { rules: {} }, /rules: expected an array of \{ match, category \}/],
    ['rule unknown category', { rules: [{ match: 'ads.example', category: 'ads' }] }, /rules\[0\]\.category: expected a configured category \(have: necessary, analytics, marketing, partners\), got "ads"/],
    ['rule misspelt category', { rules: [{ match: 'ads.example', category: 'markting' }] }, /rules\[0\]\.category: expected a configured category \(have: necessary, analytics, marketing, partners\) \(did you mean "marketing"\?\), got "markting"/],
    ['rule bad match', { rules: [{ match: '', category: 'marketing' }] }, /rules\[0\]\.match: expected a host/],
    ['cookieName', { cookieName: 'my consent' }, /cookieName: expected a cookie token/],
    ['cookieDomain foreign', { cookieDomain: 'example.org' }, /cookieDomain: expected this host or a parent of it \(localhost\), got "example.org"/],
    ['cookieMaxAgeDays', { cookieMaxAgeDays: 500 }, /cookieMaxAgeDays: expected a number of days from 1 to 400, got 500/],
    ['encryptionKey short', { encryptionKey: 'abc' }, /encryptionKey: expected a 256-bit key in base64url/],
    ['encryptionKey padded base64', { encryptionKey: KEY + '=' }, /encryptionKey: expected a 256-bit key/],
    ['clearOnRevoke category', { clearOnRevoke: { ads: ['_fbp'] } }, /clearOnRevoke\.ads: expected a configured category/],
    ['clearOnRevoke list', { clearOnRevoke: { marketing: '_fbp' } }, /clearOnRevoke\.marketing: expected an array of cookie names or RegExps/],
    ['reloadOnRevoke', { reloadOnRevoke: 'sometimes' }, /reloadOnRevoke: expected "auto", true or false, got "sometimes"/],
    ['honorGPC', { honorGPC: 'yes' }, /honorGPC: expected true or false/],
    ['settingsButton', { settingsButton: 1 }, /settingsButton: expected true or false, got 1/],
    ['googleConsentMode type', { googleConsentMode: { ad_click: 'marketing' } }, /googleConsentMode\.ad_click: expected one of ad_storage/],
    ['googleConsentMode category', { googleConsentMode: { ad_storage: 'ads' } }, /googleConsentMode\.ad_storage: expected a configured category/],
    ['lang', { lang: 'French!' }, /lang: expected a language tag/],
    ['texts not object', { texts: 'Hello' }, /texts: expected an object/],
    ['texts leaf not string', { texts: { en: { bannerTitle: 7 } } }, /texts\.en\.bannerTitle: expected a string, got 7/],
    ['nonce', { nonce: 5 }, /nonce: expected a string, got 5/],
    ['strict not boolean', { strict: 'yes' }, /strict: expected true or false, got "yes"/],
    ['strict with a RegExp rule', { strict: true, rules: [{ match: 'ads.example', category: 'marketing' }, { match: /px/, category: 'analytics' }] },
      /rules\[1\]\.match: expected a host or host\/path \(strict mode writes hosts into a Content-Security-Policy/],
    ['strict with a RegExp in a service\'s match', { strict: true, categories: ['necessary', { id: 'video', services: [{ id: 'kiln', name: 'Kiln', match: [/kiln/] }] }] },
      /strict: expected no RegExp in a service's match \(video\/kiln\)/],
    ['config not object', 'endpoint=/api', /config: expected an object/],
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
    expect(problemsOf({ strict: true, rules: [{ match: 'ads.example', category: 'marketing' }, { match: 'cdn.example/pixel', category: 'analytics' }] })).toEqual([])
  })

  it('prints one prefixed console error naming every bad key, and fails closed', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const consent = createConsent({ policyVersion: 7, rules: [{ match: 'ads.example', category: 'ads' }] } as never)
    // The messages come from the diagnostics, which load only for a broken config.
    await vi.waitFor(() => expect(error).toHaveBeenCalledTimes(1))
    const message = String(error.mock.calls[0][0])
    expect(message.startsWith('[minopio-consent] invalid config')).toBe(true)
    expect(message).toContain('policyVersion')
    expect(message).toContain('rules[0].category: expected a configured category')
    const state = await consent.ready
    expect(state).toMatchObject({ decided: false, reason: 'invalid-config' })
    await expect(consent.acceptAll()).rejects.toThrow(/config is invalid/)
    expect(consent.has('marketing')).toBe(false)
    expect(consent.get().categories).toEqual({ necessary: true, analytics: false, marketing: false, partners: false })
  })

  it('the head script\'s guard agrees with the diagnostics on every case: valid or not, and the same config', () => {
    const valid: unknown[] = [
      {}, { categories: ['analytics', { id: 'video', required: false, label: { en: 'Video', fr: 'Vidéo' } }] },
      { googleConsentMode: true }, { lang: 'es', texts: { es: { bannerTitle: 'Cookies' } } },
      { categories: ['necessary', { id: 'analytics', label: 'Stats', description: { en: 'Counts' }, services: [{ name: 'Matomo' }], cookies: ['_pk_id'] }] },
      { rules: [{ match: 'ads.example', category: 'marketing' }, { match: /x\/px/g, category: 'analytics' }], clearOnRevoke: { marketing: ['_fbp', /^_gcl_/] } },
      { endpoint: '/api', endpointHeaders: { 'X-Site': 'm' }, endpointCredentials: 'include', cookieName: 'c', cookieDomain: location.hostname },
      { cookieMaxAgeDays: 400, encryptionKey: KEY, reloadOnRevoke: true, honorGPC: false, settingsButton: false, uiUrl: '/ui.js', nonce: 'n' },
      { strict: true, rules: [{ match: 'ads.example:8443', category: 'marketing' }] }, { strict: false, rules: [{ match: /x/, category: 'marketing' }] },
      { googleConsentMode: { analytics_storage: 'analytics', ad_storage: ['marketing', 'partners'] }, texts: { bannerTitle: 'Hi', fr: { categories: { marketing: { label: 'Pub' } } } } },
      { categories: ['necessary', { id: 'marketing', services: [SERVICE, { name: { en: 'Ads', fr: 'Pub' } }] }], rules: [{ match: 'ads.example', service: 'kiln-films' }, { match: 'x.example', service: 'nobody' }] },
    ]
    const invalid = [...cases.map((c) => c[1]), { categories: [null] }, { rules: [null] }, { texts: { en: null } }, { googleConsentMode: null },
      { cookieMaxAgeDays: 0 }, { policyVersion: '' }, { categories: [{ id: 'a', services: 'x' }] }, { categories: [{ id: 'a', cookies: [1] }] }, null]
    for (const config of [...valid, ...invalid]) {
      const full = resolveConfig({ config })
      const head = readConfig({ config })
      expect(head.valid, JSON.stringify(config)).toBe(full.problems.length === 0)
      expect(head, JSON.stringify(config)).toEqual(full.config)
    }
    for (const config of valid) expect(readConfig({ config }).valid).toBe(true)
  })

  it('turns a service\'s match into rules for that service, after the configured rules', () => {
    const config = readConfig({ config: { categories: ['necessary', { id: 'marketing', services: [SERVICE, { name: 'Ads', match: ['ads.example'] }] }], rules: [{ match: 'x.example', category: 'marketing' }] } })
    expect(config.valid).toBe(true)
    expect(config.rules).toEqual([
      { match: 'x.example', category: 'marketing' }, { match: 'video.example', service: 'kiln-films' }, { match: /kiln\.example\/player/, service: 'kiln-films' },
      { match: 'ads.example', category: 'marketing' },
    ])
  })

  it('keeps the well-formed rules of an invalid config, so their tags stay held', () => {
    const config = readConfig({ config: { rules: [{ match: 'ads.example', category: 'marketing' }, { match: 'x.example', category: 'ads' }] } })
    expect(config.valid).toBe(false)
    expect(config.rules.map((r) => r.match)).toEqual(['ads.example', 'x.example'])
  })

  it('formats the message as one line per problem', () => {
    expect(configErrorMessage(['a', 'b'])).toBe('[minopio-consent] invalid config, optional categories stay blocked:\n- a\n- b')
  })
})
