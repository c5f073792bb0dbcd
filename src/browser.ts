import { LOG_PREFIX } from './config'
import { startConsent } from './create-consent'
import type { ConsentApi } from './api'
import type { StartOptions } from './create-consent'
import { chunkLoader } from './chunk-loader'
import type { ConsentConfig } from './types'
import { createUiLoader } from './ui-loader'

type ConsentWindow = Window & { minopioConsentConfig?: ConsentConfig; MinopioConsent?: ConsentApi }

/**
 * Starts the SDK from the script tag: `window.minopioConsentConfig`, the tag's `data-*` keys and its folder.
 * @param strict strict mode's starter: only the strict build carries it
 */
export function boot(strict?: StartOptions['strict']): void {
  const w = window as ConsentWindow
  const script = document.currentScript as HTMLScriptElement | null
  if (w.MinopioConsent) return console.warn(`${LOG_PREFIX} loaded twice: the second copy does nothing (remove the duplicate <script>)`)
  const config = w.minopioConsentConfig
  // Deferred files live next to the gate (same origin: they run under `script-src 'self'` and with the nonce).
  const base = script?.src ? new URL('.', script.src).href : ''
  const uiUrl = typeof config?.uiUrl === 'string' ? config.uiUrl : base + 'minopio-consent-ui.js'
  const nonce = config?.nonce ?? script?.nonce ?? null
  w.MinopioConsent = startConsent(config, { dataset: script?.dataset, origins: base ? [base] : [], strict, loadUi: createUiLoader(uiUrl, nonce || null) }, {
    write: chunkLoader(base, 'write', nonce || null),
    debug: chunkLoader(base, 'debug', nonce || null),
  })
}
