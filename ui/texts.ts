import type { ResolvedConfig, Text } from '../src/types'
import en from './i18n/en'

/** Every text the UI shows; `categories` holds one `{ label, description }` per category id. */
export type Texts = typeof en

/** Built-in texts by language. English is always there; the IIFE build downloads only the other language shown. */
export type Languages = Record<string, Texts>

/** The global each language file of the IIFE build (`minopio-consent-ui-<lang>.js`) adds its texts to. */
export const TEXTS_GLOBAL = 'minopioConsentTexts'
// Same shape test as core's config validation: a language block is `xx` / `xx-YY` → object.
const LANG_KEY = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i

type Plain = Record<string, unknown>
const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * Picks the string of a config text for a language: exact tag, primary subtag, English, then any.
 * @param text a string or `{ en: '…', fr: '…' }`
 * @param lang the language shown
 */
export function pick(text: Text | undefined, lang: string): string | undefined {
  if (text === undefined || typeof text === 'string') return text
  return text[lang] ?? text[lang.split('-')[0]] ?? text.en ?? Object.values(text)[0]
}

/**
 * Fills the `{name}` slots of a text; a slot with no value stays as written.
 * @param text a text such as `'Allow {category}'`
 * @param values one string per slot name
 * @example fill('Gated tags ({n})', { n: '3' }) // 'Gated tags (3)'
 */
export const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot)

/**
 * Writes a list the way the language does (`a, b and c`, `a, b et c`).
 * @param lang the language shown
 * @param items the words to list
 */
export const list = (lang: string, items: string[]) => new Intl.ListFormat(lang).format(items)

/**
 * The effective texts of the language shown: built-in ⊕ `config.texts[lang]` ⊕ flat `config.texts` ⊕ the
 * categories' own labels and descriptions ⊕ the services' names, providers and descriptions (`serviceTexts`, when the
 * config names services). Its hash in the consent log proves what the visitor read.
 * @param config resolved config (its `lang` is already chosen by core)
 * @param languages the built-in texts at hand besides English
 * @returns texts with exactly the configured categories
 */
export function textsFor(config: Pick<ResolvedConfig, 'lang' | 'texts' | 'categories'>, languages: Languages): Texts {
  const { lang, texts } = config
  const base = languages[lang] ?? languages[lang.split('-')[0]] ?? en
  const own = isPlain(texts[lang]) ? (texts[lang] as Plain) : {}
  const flat: Plain = {}
  for (const k in texts) if (!(LANG_KEY.test(k) && isPlain(texts[k]))) flat[k] = texts[k]
  const categories: Texts['categories'] = {}
  for (const c of config.categories) {
    const layer = (o: Plain) => (isPlain(o.categories) && isPlain(o.categories[c.id]) ? (o.categories[c.id] as Plain) : {})
    const merged: Plain = { ...base.categories[c.id], ...layer(own), ...layer(flat) }
    categories[c.id] = {
      label: pick(c.label, lang) ?? String(merged.label ?? c.id),
      description: pick(c.description, lang) ?? String(merged.description ?? ''),
    }
  }
  // What the visitor reads of each service is part of the proof too (only when the config names services, so a
  // category-only site's hash is unchanged).
  // Keyed `<category>.<service id or position>`: the hash sorts object keys, and leaves out what is not set.
  const services: Record<string, Plain> = {}
  for (const c of config.categories) {
    c.services.forEach((v, i) => {
      services[`${c.id}.${v.id ?? i}`] = JSON.parse(JSON.stringify({ name: pick(v.name, lang), provider: v.provider, description: pick(v.description, lang) }))
    })
  }
  return { ...base, ...own, ...flat, categories, ...(Object.keys(services).length ? { serviceTexts: services } : {}) } as Texts
}

// Scripts written right to left (ISO 639-1 codes): Arabic, Persian, Hebrew, Yiddish, Urdu, Pashto, Sindhi, Kurdish (Sorani), Divehi, Uyghur.
const RTL = /^(ar|fa|he|iw|yi|ur|ps|sd|ckb|dv|ug)(-|$)/i

/**
 * Marks a UI host with the language shown (WCAG 3.1.2): screen readers pick the right voice, `hyphens: auto` the
 * right dictionary, and a right-to-left language mirrors the layout.
 * @param host the UI's or a placeholder's host element
 * @param lang the language shown
 */
export function speak(host: HTMLElement, lang: string): void {
  host.lang = lang
  host.dir = RTL.test(lang) ? 'rtl' : 'ltr'
}
