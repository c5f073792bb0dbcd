import type { ConsentApi } from '../src/api'
import type { ResolvedConfig } from '../src/types'
import de from './i18n/de'
import en from './i18n/en'
import es from './i18n/es'
import fr from './i18n/fr'
import it from './i18n/it'
import nl from './i18n/nl'
import { mountWithLanguages } from './mount'
import { textsFor } from './texts'
import type { Texts } from './texts'

/** Every built-in language: the ESM build carries them all (a bundler's user picks what ships). */
export const BUILT_IN_TEXTS = { en, fr, nl, de, es, it }

/**
 * Mounts the consent UI for one SDK instance: a `<div id="minopio-consent">` host with an open shadow root,
 * rendered from `$view` and `$consent`, plus contextual placeholders from `$tags`.
 * @param api the public API (its stores and actions are the UI's only way into core)
 * @returns unmount
 * @example
 * import { createConsent } from '@minopio/consent'
 * import { mountConsentUI } from '@minopio/consent/ui'
 * mountConsentUI(createConsent({ policyUrl: '/privacy' }))
 */
export function mountConsentUI(api: ConsentApi): () => void {
  return mountWithLanguages(api, BUILT_IN_TEXTS)
}

/**
 * The effective texts of the language shown: built-in ⊕ `config.texts[lang]` ⊕ flat `config.texts` ⊕ the categories'
 * own labels and descriptions. Its hash in the consent log proves what the visitor read.
 * @param config resolved config (its `lang` is already chosen by core)
 */
export function effectiveTexts(config: Pick<ResolvedConfig, 'lang' | 'texts' | 'categories'>): Texts {
  return textsFor(config, BUILT_IN_TEXTS)
}
