import type { ResolvedConfig, Text } from '../src/types'
import de from './i18n/de'
import en from './i18n/en'
import fr from './i18n/fr'
import nl from './i18n/nl'

/** Every text the UI shows; `categories` holds one `{ label, description }` per category id. */
export type Texts = typeof en

const BUILT_IN: Record<string, Texts> = { en, fr, nl, de }
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
 * Replaces `{category}` in a text.
 * @param text a text with a `{category}` slot
 * @param category the category label(s)
 */
export const fill = (text: string, category: string) => text.replace('{category}', category)

/**
 * The effective texts of the language shown: built-in ⊕ `config.texts[lang]` ⊕ flat `config.texts` ⊕ the
 * categories' own labels and descriptions. Its hash in the consent log proves what the visitor read.
 * @param config resolved config (its `lang` is already chosen by core)
 * @returns texts with exactly the configured categories
 */
export function effectiveTexts(config: Pick<ResolvedConfig, 'lang' | 'texts' | 'categories'>): Texts {
  const { lang, texts } = config
  const base = BUILT_IN[lang] ?? BUILT_IN[lang.split('-')[0]] ?? en
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
  return { ...base, ...own, ...flat, categories } as Texts
}
