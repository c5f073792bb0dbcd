import type { ConsentApi } from './api'
import { scriptLoader } from './chunk-loader'
import type { Loader } from './chunk-loader'
import { BUILT_IN_LANGS } from './config'

/** The global the UI bundle registers its `mount(api)` on. */
export const UI_GLOBAL = 'minopioConsentUI'

/** The global each language file adds its texts to (`ui/texts.ts` reads it). */
const TEXTS_GLOBAL = 'minopioConsentTexts'

/**
 * Loads the UI bundle and the file of the language shown once, then mounts (resolves with the unmount, once mounted);
 * `prefetch(lang)` only starts both downloads.
 */
export type UiLoader = ((api: ConsentApi) => Promise<(() => void) | void>) & { prefetch(lang: string): void }

type UiWindow = Window & { [UI_GLOBAL]?: { mount(api: ConsentApi): () => void }; [TEXTS_GLOBAL]?: Record<string, unknown> }

/**
 * A loader that injects the UI bundle as a script (with the CSP nonce) and calls the `mount` it registers. English is
 * in the bundle; another built-in language comes from `minopio-consent-ui-<lang>.js` beside it, downloaded in parallel
 * (if it cannot load, the UI shows in English). A failed UI load is retried by the next call.
 * @param url where `minopio-consent-ui.js` is
 * @param nonce CSP nonce for the script, if the site uses one
 */
export function createUiLoader(url: string, nonce: string | null): UiLoader {
  const w = window as UiWindow
  const fetchUi = scriptLoader(url, nonce, () => w[UI_GLOBAL])
  const langs: Record<string, Loader<unknown>> = {}
  const language = (lang: string) =>
    lang == 'en' || !BUILT_IN_LANGS.includes(lang)
      ? null
      : (langs[lang] ??= scriptLoader(url.replace(/(\.js)?([?#].*)?$/, `-${lang}.js$2`), nonce, () => w[TEXTS_GLOBAL]?.[lang]))
  let mounting: Promise<() => void> | null = null
  const load = (api: ConsentApi) =>
    (mounting ??= Promise.all([fetchUi(), language(api.config.lang)?.().catch(() => undefined)]).then(
      ([ui]) => ui.mount(api),
      (error) => {
        mounting = null
        throw error
      },
    ))
  return Object.assign(load, {
    prefetch(lang: string) {
      fetchUi.prefetch()
      language(lang)?.prefetch()
    },
  })
}
