import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/index'
import type { ConsentConfig } from '../src/types'
import de from '../ui/i18n/de'
import en from '../ui/i18n/en'
import es from '../ui/i18n/es'
import fr from '../ui/i18n/fr'
import it_ from '../ui/i18n/it'
import nl from '../ui/i18n/nl'
import { effectiveTexts } from '../ui/index'
import { fill, list, pick } from '../ui/texts'

const texts = (config: ConsentConfig) => effectiveTexts(resolveConfig({ config }).config)
const DESIGN_KEYS = ['bannerTitle', 'bannerText', 'acceptAll', 'rejectAll', 'customize', 'save', 'close', 'preferencesTitle', 'settingsButton', 'policyChanged', 'gpcNotice']

describe('built-in translations', () => {
  it.each([['fr', fr], ['nl', nl], ['de', de], ['es', es], ['it', it_]])('%s has every key of English, none empty, and is really translated', (_, lang) => {
    expect(Object.keys(lang).sort()).toEqual(Object.keys(en).sort())
    for (const key of DESIGN_KEYS) expect(lang[key as keyof typeof en]).toBeTruthy()
    expect(Object.keys(lang.categories)).toEqual(['necessary', 'analytics', 'marketing', 'partners'])
    const same = Object.keys(en).filter((k) => k !== 'categories' && lang[k as keyof typeof en] === en[k as keyof typeof en])
    expect(same.length).toBeLessThanOrEqual(3) // only words shared across languages ("Cookies", "Services", "Via")
    for (const c of Object.values(lang.categories)) expect(c.label && c.description).toBeTruthy()
    expect(lang.allowCategory).toContain('{category}')
    expect(lang.placeholderText).toContain('{category}')
  })

  const ALL = { en, fr, nl, de, es, it: it_ }
  // The words for consent and for withdrawing it, one term per language (GDPR 7(3): as easy to withdraw as to give).
  const CONSENT = { en: /consent/i, fr: /consentement/, nl: /toestemming/, de: /Einwilligung/, es: /consentimiento/, it: /consenso/ }
  const WITHDRAW = { en: /withdraw your consent/, fr: /retirer votre consentement/, nl: /toestemming (hier altijd )?intrekken/, de: /Einwilligung (hier jederzeit )?widerrufen/, es: /retirar su consentimiento/, it: /revocare il consenso/ }

  it.each(Object.entries(ALL))('%s says consent can be withdrawn, in the banner and in the preferences', (lang, t) => {
    for (const text of [t.bannerText, t.preferencesText]) expect(text).toMatch(WITHDRAW[lang as keyof typeof WITHDRAW])
    expect(t.bannerText).toMatch(CONSENT[lang as keyof typeof CONSENT])
  })

  it.each(Object.entries(ALL))('%s gives the settings entry point one name: the button, the dialog title and the banner\'s pointer', (_, t) => {
    expect(t.preferencesTitle).toBe(t.settingsButton)
    expect(t.bannerText).toContain('{settings}')
  })

  it('uses "consentement" in French, never "accord"', () => {
    const all = JSON.stringify(fr)
    expect(all).not.toMatch(/\baccord\b/)
  })

  it('keeps French typography: a no-break space before : ; ! ? and inside « »', () => {
    for (const text of Object.values(fr).filter((v): v is string => typeof v === 'string')) {
      expect(text).not.toMatch(/ [:;!?»]/) // an ordinary space would let the mark start a line
      expect(text).not.toMatch(/« /)
      expect(text).not.toMatch(/[^\s\u00a0\u202f][:;!?](\s|$)/) // and never glued to the word
    }
  })

  it('carries the punctuation around the UI\'s fragments in the texts, with slots for the values', () => {
    for (const t of Object.values(ALL)) {
      expect(t.cookieList).toContain('{list}')
      expect(t.auditTags).toContain('{n}')
      expect(t.auditRequests).toContain('{n}')
      expect(t.auditOnce).toContain('{state}')
    }
  })
})

describe('effectiveTexts', () => {
  it('uses the built-in language core resolved (fr-BE → fr)', () => {
    expect(texts({ lang: 'fr-BE' }).acceptAll).toBe('Tout accepter')
    expect(texts({ lang: 'nl' }).rejectAll).toBe('Alles weigeren')
    expect(texts({ lang: 'xx' }).acceptAll).toBe('Accept all')
  })

  it('layers built-in, texts[lang], flat texts, then the categories\' own label and description', () => {
    const t = texts({
      lang: 'de',
      texts: { de: { bannerTitle: 'Titel', acceptAll: 'Ja', categories: { analytics: { label: 'Messung' } } }, en: { bannerTitle: 'ignored' }, acceptAll: 'Okay' },
      categories: ['necessary', 'analytics', { id: 'marketing', label: { en: 'Ads', de: 'Werbung' } }, { id: 'video', description: 'Videos' }],
    })
    expect(t.bannerTitle).toBe('Titel')
    expect(t.acceptAll).toBe('Okay')
    expect(t.rejectAll).toBe('Alle ablehnen')
    expect(t.categories).toEqual({
      necessary: de.categories.necessary,
      analytics: { label: 'Messung', description: de.categories.analytics.description },
      marketing: { label: 'Werbung', description: de.categories.marketing.description },
      video: { label: 'video', description: 'Videos' },
    })
  })

  it('holds exactly the configured categories, so the hashed texts are what the visitor saw', () => {
    expect(Object.keys(texts({ categories: ['necessary', 'analytics'] }).categories)).toEqual(['necessary', 'analytics'])
  })

  it('serves a language only the config provides, on top of English', () => {
    const t = texts({ lang: 'pt', texts: { pt: { acceptAll: 'Aceitar tudo' } } })
    expect([t.acceptAll, t.rejectAll]).toEqual(['Aceitar tudo', 'Reject all'])
  })

  it('has Spanish and Italian built in', () => {
    // Core resolves only the languages it knows (BUILT_IN_LANGS) or the config has texts for; an empty block selects them.
    expect(texts({ lang: 'es', texts: { es: {} } }).rejectAll).toBe('Rechazar todo')
    expect(texts({ lang: 'it', texts: { it: {} } }).rejectAll).toBe('Rifiuta tutto')
  })
})

describe('pick and fill', () => {
  it('picks a config text by exact tag, primary subtag, English, then any', () => {
    expect(pick({ 'fr-BE': 'a', fr: 'b' }, 'fr-BE')).toBe('a')
    expect(pick({ fr: 'b', en: 'c' }, 'fr-CA')).toBe('b')
    expect(pick({ en: 'c', de: 'd' }, 'nl')).toBe('c')
    expect(pick({ de: 'd' }, 'nl')).toBe('d')
    expect(pick('plain', 'nl')).toBe('plain')
  })

  it('fills the category slot', () => {
    expect(fill(nl.allowCategory, { category: 'Partners' })).toBe('Partners toestaan')
  })

  it('fills every named slot and leaves an unknown one as written', () => {
    expect(fill('{n} of {m} ({x})', { n: '1', m: '2' })).toBe('1 of 2 ({x})')
  })

  it('writes a list the way the language does', () => {
    expect(list('en', ['Marketing', 'Partners'])).toBe('Marketing and Partners')
    expect(list('fr', ['Marketing', 'Partenaires'])).toBe('Marketing et Partenaires')
  })
})

describe('effectiveTexts with services', () => {
  it('carries each service\'s name, provider and description in the language shown, so the logged hash covers them', () => {
    const t = texts({ lang: 'fr', categories: ['necessary', { id: 'marketing', services: [{ id: 'kiln-films', name: 'Kiln Films', provider: 'Kiln Films Oy', description: { en: 'Counts views', fr: 'Compte les vues' } }, { name: 'Ads' }] }] })
    expect((t as unknown as { serviceTexts: unknown }).serviceTexts).toEqual({
      'marketing.kiln-films': { name: 'Kiln Films', provider: 'Kiln Films Oy', description: 'Compte les vues' },
      'marketing.1': { name: 'Ads' },
    })
    expect('serviceTexts' in texts({})).toBe(false)
  })
})
