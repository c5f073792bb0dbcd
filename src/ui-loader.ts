import type { ConsentApi } from './api'
import { scriptLoader } from './chunk-loader'

/** The global the UI bundle registers its `mount(api)` on. */
export const UI_GLOBAL = 'minopioConsentUI'

/** Loads the UI bundle once and mounts it (resolves when mounted); `prefetch()` only starts the download. */
export type UiLoader = ((api: ConsentApi) => Promise<void>) & { prefetch(): void }

type UiWindow = Window & { [UI_GLOBAL]?: { mount(api: ConsentApi): void } }

/**
 * A loader that injects the UI bundle as a script (with the CSP nonce) and calls the `mount` it registers.
 * `prefetch()` only starts the download. A failed load is retried by the next call.
 * @param url where `minopio-consent-ui.js` is
 * @param nonce CSP nonce for the script, if the site uses one
 */
export function createUiLoader(url: string, nonce: string | null): UiLoader {
  const fetchUi = scriptLoader(url, nonce, () => (window as UiWindow)[UI_GLOBAL])
  let mounting: Promise<void> | null = null
  const load = (api: ConsentApi) =>
    (mounting ??= fetchUi().then(
      (ui) => ui.mount(api),
      (error) => {
        mounting = null
        throw error
      },
    ))
  return Object.assign(load, { prefetch: fetchUi.prefetch })
}
