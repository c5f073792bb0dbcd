import { createApi } from './api'
import type { ConsentApi } from './api'
import { LOG_PREFIX, readConfig, serviceCategories } from './config'
import type { ConfigInput } from './config'
import type * as DiagnosticsModule from './config-diagnostics'
import { once } from './chunk-loader'
import { createContext } from './context'
import type { ConsentContext } from './context'
import { readCookie } from './cookie-read'
import type * as DecideModule from './decide'
import { startGate } from './gate'
import { pendingEvents } from './outbox'
import { recordGrants } from './record'
import { detectGpc, startSignals } from './signals'
import { undecidedState } from './store'
import { readStoredConsent, storedKey } from './stored-consent'
import type { ConsentConfig, ConsentState } from './types'
import type { UiLoader } from './ui-loader'

/** Deferred code, loaded when needed: the IIFE build injects scripts from the gate's folder, the ESM build uses `import()`. */
export interface DeferredCode {
  /** The write path: key creation, encryption, cookie write, revoke, forget, the consent log and its outbox. */
  write: () => Promise<typeof DecideModule>
  /** The full config validator with its messages, loaded only when the head's guard finds the config invalid. */
  debug: () => Promise<typeof DiagnosticsModule>
}

/** Start-up options of the entry points. */
export interface StartOptions {
  /** Loads the UI bundle when something must be shown; the IIFE build passes a script loader. */
  loadUi?: UiLoader | null
  /** The script tag's `data-*` keys (IIFE build). */
  dataset?: ConfigInput['dataset']
  /** Where the SDK's own files come from, for strict mode's policy (the gate's folder in the IIFE build). */
  origins?: string[]
  /** Strict mode's starter (`startStrict`): the strict build and the ESM entry pass it, the plain gate leaves it out. */
  strict?: (ctx: ConsentContext, origins: string[]) => void
}

const idle = (work: () => void) => (window.requestIdleCallback ?? setTimeout)(work)

/**
 * Starts the SDK: validates the config, installs the gate synchronously (nothing optional runs from here on),
 * then reads the encrypted cookie and applies it. The entry points (`createConsent`, the IIFE) say how deferred code loads.
 * @param config the site's config (README, "Config")
 * @param options entry-point options
 * @param deferred loaders of the deferred code
 * @returns the public API
 */
export function startConsent(config: ConsentConfig | undefined, options: StartOptions, deferred: DeferredCode): ConsentApi {
  const input = { config, dataset: options.dataset }
  const resolved = readConfig(input)
  const cookie = resolved.valid && readCookie(resolved.cookieName)
  // No consent cookie at all: the banner will be needed, so its download starts before the gate is installed.
  if (resolved.valid && !cookie) options.loadUi?.prefetch(resolved.lang)
  // Failing closed needs no message; naming each problem needs the diagnostics, which only a broken config downloads,
  // or any config with `debug: true`. In dev mode they also show the developer an in-page notice.
  if (!resolved.valid || config?.debug === true) {
    deferred.debug().then(
      (d) => d.diagnose(input),
      () => resolved.valid || console.error(`${LOG_PREFIX} invalid config, optional categories stay blocked (the details could not load)`),
    )
  }
  // Asked for strict mode from a gate without it: nothing can enforce the policy, so nothing optional is released.
  if (resolved.strict && !options.strict) {
    resolved.valid = false
    console.error(`${LOG_PREFIX} strict: true needs minopio-consent-strict.js in place of minopio-consent.js`)
  }
  const ctx = createContext(resolved)
  if (resolved.strict) options.strict?.(ctx, options.origins ?? [])
  const { $consent, $view } = ctx.stores
  const gpc = resolved.honorGPC && detectGpc()
  if (gpc) $consent.set({ ...$consent.get(), gpc })

  const key = () => storedKey(resolved).catch(() => {
    ctx.warnOnce('WebCrypto is unavailable (not a secure context?): consent is neither read from nor kept in the cookie')
    return null
  })
  // A returning visitor's key: its IndexedDB read starts now and runs while the gate installs.
  const found = cookie ? key() : null

  const gate = startGate(ctx)
  ctx.onDestroy(gate.stop)
  startSignals(ctx)
  const write = once(() => deferred.write().then((m) => m.startDecisions(ctx, gate)))
  // Events a closed tab left undelivered go out once the page is idle; with none, a returning visitor loads nothing more.
  if (resolved.valid && resolved.endpoint && pendingEvents(resolved.cookieName)) idle(write.prefetch)

  const restore = async (): Promise<ConsentState> => {
    if (!resolved.valid) return $consent.get()
    const stored = await readStoredConsent(resolved, () => found ?? key(), cookie || undefined)
    if (stored.status === 'valid') {
      const { record } = stored
      const base = { ...undecidedState(resolved, 'none'), gpc }
      $consent.set({
        ...base, ...recordGrants(record, base, serviceCategories(resolved.categories)), decided: true, reason: null, consentId: record.id,
        updatedAt: record.t * 1000, source: record.s, textsHash: record.h,
      })
    } else {
      // A record that decrypted (policy changed, expired) keeps its consent id: the log then shows one visitor's history.
      $consent.set({ ...undecidedState(resolved, stored.status), gpc, consentId: stored.record?.id ?? null })
    }
    return $consent.get()
  }

  const api = createApi(ctx, {
    ready: restore(),
    write,
    audit: gate.audit,
    loadOnce: gate.loadOnce,
    loadUi: options.loadUi ?? null,
  })
  api.ready.then((state) => {
    if (!resolved.valid) return
    if (new URLSearchParams(location.search).has('minopio-audit')) api.showAudit()
    else if (!state.decided && $view.get() === null) api.show()
  })
  const openOnClick = (event: MouseEvent) => {
    const opener = (event.target as Element | null)?.closest?.('[data-minopio-open]')
    if (!opener) return
    event.preventDefault()
    api.showPreferences()
  }
  document.addEventListener('click', openOnClick)
  ctx.onDestroy(() => document.removeEventListener('click', openOnClick))
  return api
}
