import type { ConsentApi } from './api'

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
  const ui = () => (window as UiWindow)[UI_GLOBAL]
  let loading: Promise<void> | null = null
  let mounting: Promise<void> | null = null
  const fetchUi = () =>
    (loading ??= new Promise<void>((resolve, reject) => {
      if (ui()) return resolve()
      const script = document.createElement('script')
      script.src = url
      script.async = true
      if (nonce) script.nonce = nonce
      script.onload = () => (ui() ? resolve() : reject(new Error(`${url} loaded but registered no UI`)))
      script.onerror = () => reject(new Error(`could not load the consent UI from ${url}`))
      document.head.appendChild(script)
    }).catch((error) => {
      loading = null
      throw error
    }))
  const load = (api: ConsentApi) =>
    (mounting ??= fetchUi().then(
      () => ui()!.mount(api),
      (error) => {
        mounting = null
        throw error
      },
    ))
  return Object.assign(load, { prefetch: () => void fetchUi().catch(() => undefined) })
}
