import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/index'
import type { ConsentConfig } from '../src/types'
import de from '../ui/i18n/de'
import en from '../ui/i18n/en'
import fr from '../ui/i18n/fr'
import nl from '../ui/i18n/nl'
import { effectiveTexts, fill, pick } from '../ui/texts'

const texts = (config: ConsentConfig) => effectiveTexts(resolveConfig({ config }).config)
const DESIGN_KEYS = ['bannerTitle', 'bannerText', 'acceptAll', 'rejectAll', 'customize', 'save', 'close', 'preferencesTitle', 'settingsButton', 'policyChanged', 'gpcNotice']

describe('built-in translations', () => {
  it.each([['fr', fr], ['nl', nl], ['de', de]])('%s has every key of English, none empty, and is really translated', (_, lang) => {
    expect(Object.keys(lang).sort()).toEqual(Object.keys(en).sort())
    for (const key of DESIGN_KEYS) expect(lang[key as keyof typeof en]).toBeTruthy()
    expect(Object.keys(lang.categories)).toEqual(['necessary', 'analytics', 'marketing', 'partners'])
    const same = Object.keys(en).filter((k) => k !== 'categories' && lang[k as keyof typeof en] === en[k as keyof typeof en])
    expect(same.length).toBeLessThanOrEqual(3) // only words shared across languages ("Cookies", "Services", "Via")
    for (const c of Object.values(lang.categories)) expect(c.label && c.description).toBeTruthy()
    expect(lang.allowCategory).toContain('{category}')
    expect(lang.placeholderText).toContain('{category}')
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
    const t = texts({ lang: 'es', texts: { es: { acceptAll: 'Aceptar todo' } } })
    expect([t.acceptAll, t.rejectAll]).toEqual(['Aceptar todo', 'Reject all'])
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
    expect(fill(nl.allowCategory, 'Partners')).toBe('Partners toestaan')
  })
})
