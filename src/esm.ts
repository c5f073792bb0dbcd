import type { ConsentApi } from './api'
import { startConsent } from './create-consent'
import type { StartOptions } from './create-consent'
import { startStrict } from './strict'
import type { ConsentConfig } from './types'

/**
 * Starts the SDK from an ESM import: validates the config, installs the gate synchronously, then reads the encrypted
 * cookie and applies it. The write path, the consent log and the config diagnostics load with `import()` when needed.
 * @param config the site's config (DESIGN §3)
 * @param options entry-point options (a UI loader, a dataset)
 * @returns the public API
 * @example
 * const consent = createConsent({ endpoint: '/api/consent', policyVersion: '2024-05' })
 * consent.on('change', (state) => console.log(state.categories))
 */
export function createConsent(config?: ConsentConfig, options: StartOptions = {}): ConsentApi {
  return startConsent(config, { strict: startStrict, ...options }, { write: () => import('./decide'), debug: () => import('./config-diagnostics') })
}
