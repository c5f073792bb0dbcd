import { LOG_PREFIX } from './config'
import { startConsent } from './create-consent'
import type { ConsentApi } from './api'
import { chunkLoader } from './chunk-loader'
import type { ConsentConfig } from './types'
import { createUiLoader } from './ui-loader'

type ConsentWindow = Window & { minopioConsentConfig?: ConsentConfig; MinopioConsent?: ConsentApi }

const w = window as ConsentWindow
const script = document.currentScript as HTMLScriptElement | null

if (w.MinopioConsent) {
  console.warn(`${LOG_PREFIX} loaded twice: the second copy does nothing (remove the duplicate <script>)`)
} else {
  const config = w.minopioConsentConfig
  // Deferred files live next to the gate (same origin: they run under `script-src 'self'` and with the nonce).
  const base = script?.src ? new URL('.', script.src).href : ''
  const uiUrl = typeof config?.uiUrl === 'string' ? config.uiUrl : base + 'minopio-consent-ui.js'
  const nonce = config?.nonce ?? script?.nonce ?? null
  w.MinopioConsent = startConsent(config, { dataset: script?.dataset, loadUi: createUiLoader(uiUrl, nonce || null) }, {
    write: chunkLoader(base, 'write', nonce || null),
    debug: chunkLoader(base, 'debug', nonce || null),
  })
}
