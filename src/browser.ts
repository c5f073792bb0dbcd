import { LOG_PREFIX } from './config'
import { createConsent } from './create-consent'
import type { ConsentApi } from './api'
import type { ConsentConfig } from './types'
import { createUiLoader } from './ui-loader'

type ConsentWindow = Window & { minopioConsentConfig?: ConsentConfig; MinopioConsent?: ConsentApi }

const w = window as ConsentWindow
const script = document.currentScript as HTMLScriptElement | null

if (w.MinopioConsent) {
  console.warn(`${LOG_PREFIX} loaded twice: the second copy does nothing (remove the duplicate <script>)`)
} else {
  const config = w.minopioConsentConfig
  const fallbackUrl = script?.src ? new URL('minopio-consent-ui.js', script.src).href : 'minopio-consent-ui.js'
  const uiUrl = typeof config?.uiUrl === 'string' ? config.uiUrl : fallbackUrl
  const nonce = config?.nonce ?? script?.nonce ?? null
  w.MinopioConsent = createConsent(config, { dataset: script?.dataset, loadUi: createUiLoader(uiUrl, nonce || null) })
}
