import type { ConsentApi } from './api'
import { LOG_PREFIX } from './config'
import { startConsent } from './create-consent'
import type { StartOptions } from './create-consent'
import { startStrict } from './strict'
import type { ConsentConfig } from './types'

/**
 * Starts the SDK from an ESM import: validates the config, installs the gate synchronously, then reads the encrypted
 * cookie and applies it. The write path, the consent log and the config diagnostics load with `import()` when needed.
 * @param config the site's config (README, "Config")
 * @param options entry-point options (a UI loader, a dataset)
 * @returns the public API
 * @throws {Error} outside a browser (server-side rendering): importing is safe there, starting is not — call it on
 * the client, e.g. in `useEffect`/`onMounted`
 * @example
 * const consent = createConsent({ endpoint: '/api/consent', policyVersion: '2024-05' })
 * consent.on('change', (state) => console.log(state.categories))
 */
export function createConsent(config?: ConsentConfig, options: StartOptions = {}): ConsentApi {
  // A loud error rather than an inert instance: an instance that never gates or shows anything would hide the
  // mistake, while the gate has to run before the page's tags anyway, which only the browser can do.
  if (typeof document === 'undefined') {
    throw new Error(`${LOG_PREFIX} createConsent() needs a browser (no \`document\` here, server-side rendering?): call it on the client, e.g. in useEffect or onMounted. Importing the package on the server is safe.`)
  }
  return startConsent(config, { strict: startStrict, ...options }, { write: () => import('./decide'), debug: () => import('./config-diagnostics') })
}
