// Types for the script-tag (IIFE) install, opt-in: `import type {} from '@minopio/consent/global'`. Not in the main
// types because an ESM install (`createConsent()`) has no `window.MinopioConsent`; declaring it there would lie.
import type { ConsentApi } from './api'
import type { ConsentConfig } from './types'

declare global {
  interface Window {
    /** The API the head script installs. Present from the first site script on when the gate loads in `<head>`. */
    MinopioConsent: ConsentApi
    /** The config the head script reads; set it before the script tag. */
    minopioConsentConfig?: ConsentConfig
  }
}

export {}
