import { createApi } from './api'
import type { ConsentApi } from './api'
import { configErrorMessage, resolveConfig } from './config'
import type { ConfigInput } from './config'
import { startConsentLog } from './consent-log'
import { createContext } from './context'
import { readCookie } from './cookie'
import { startGate } from './gate'
import { detectGpc, startSignals } from './signals'
import { undecidedState } from './store'
import { consentKey, readStoredConsent } from './stored-consent'
import type { ConsentConfig, ConsentState } from './types'
import type { UiLoader } from './ui-loader'

/** Start-up options of the entry points. */
export interface StartOptions {
  /** Loads the UI bundle when something must be shown; the IIFE build passes a script loader. */
  loadUi?: UiLoader | null
  /** The script tag's `data-*` keys (IIFE build). */
  dataset?: ConfigInput['dataset']
}

/**
 * Starts the SDK: validates the config, installs the gate synchronously (nothing optional runs from here on),
 * then reads the encrypted cookie and applies it.
 * @param config the site's config (DESIGN §3)
 * @param options entry-point options
 * @returns the public API
 * @example
 * const consent = createConsent({ endpoint: '/api/consent', policyVersion: '2024-05' })
 * consent.on('change', (state) => console.log(state.categories))
 */
export function createConsent(config?: ConsentConfig, options: StartOptions = {}): ConsentApi {
  const { config: resolved, problems } = resolveConfig({ config, dataset: options.dataset })
  // No consent cookie at all: the banner will be needed, so its download starts before the gate is installed.
  if (resolved.valid && !readCookie(resolved.cookieName)) options.loadUi?.prefetch()
  if (problems.length) console.error(configErrorMessage(problems))
  const ctx = createContext(resolved)
  const { $consent, $view } = ctx.stores
  const gpc = resolved.honorGPC && detectGpc()
  if (gpc) $consent.set({ ...$consent.get(), gpc })

  const gate = startGate(ctx)
  startSignals(ctx)
  if (resolved.valid) startConsentLog(ctx)

  // Keys are cached per slot in crypto.ts (and dropped by forget), so each use asks again.
  const key = () => consentKey(resolved).catch(() => {
    ctx.warnOnce('WebCrypto is unavailable (not a secure context?): consent is neither read from nor kept in the cookie')
    return null
  })
  const restore = async (): Promise<ConsentState> => {
    if (!resolved.valid) return $consent.get()
    const stored = await readStoredConsent(resolved, key)
    const base = { ...undecidedState(resolved, stored.status === 'valid' ? null : stored.status), gpc }
    const record = stored.record
    if (stored.status === 'valid' && record) {
      const categories = { ...base.categories }
      for (const id of record.c) if (id in categories) categories[id] = true
      $consent.set({
        ...base, decided: true, categories, consentId: record.id, updatedAt: record.t * 1000,
        source: record.s, textsHash: record.h,
      })
    } else {
      // A record that decrypted (policy changed, expired) keeps its consent id: the log then shows one visitor's history.
      $consent.set({ ...base, consentId: record?.id ?? null })
    }
    return $consent.get()
  }

  const api = createApi(ctx, {
    ready: restore(),
    key,
    audit: gate.audit,
    loadOnce: gate.loadOnce,
    loadUi: options.loadUi ?? null,
  })
  api.ready.then((state) => {
    if (!resolved.valid) return
    if (new URLSearchParams(location.search).has('minopio-audit')) api.showAudit()
    else if (!state.decided && $view.get() === null) api.show()
  })
  document.addEventListener('click', (event) => {
    const opener = (event.target as Element | null)?.closest?.('[data-minopio-open]')
    if (!opener) return
    event.preventDefault()
    api.showPreferences()
  })
  return api
}
