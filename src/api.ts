import { LOG_PREFIX } from './config'
import type { ConsentContext } from './context'
import { sha256Hex } from './crypto'
import type { KeyHandle } from './crypto'
import { uuid } from './record'
import type { ReadonlyStores } from './store'
import { undecidedState } from './store'
import { eraseStoredConsent, writeStoredConsent } from './stored-consent'
import type {
  ActionOptions, ConsentAction, ConsentEventType, ConsentState, ResolvedConfig, TagReport, View,
} from './types'

export const SDK_VERSION = '1.0.0'
export const DOM_EVENT = 'minopio:consent'

/** The public API: `window.MinopioConsent`, or what `createConsent()` returns. */
export interface ConsentApi {
  /** Resolves once stored consent is read (decrypted) and the gate has applied it. */
  readonly ready: Promise<ConsentState>
  /** The current consent state. */
  get(): ConsentState
  /** Whether a category is granted now. */
  has(category: string): boolean
  /** Grants every category. */
  acceptAll(options?: ActionOptions): Promise<ConsentState>
  /** Refuses every optional category. */
  rejectAll(options?: ActionOptions): Promise<ConsentState>
  /** Grants or refuses some categories; the others keep their current value. */
  set(partial: Record<string, boolean>, options?: ActionOptions): Promise<ConsentState>
  /** Refuses every optional category, clears their cookies and reloads if one of their tags ran. */
  withdraw(options?: ActionOptions): Promise<ConsentState>
  /** Deletes the consent cookie and the device key, and logs a `forget` event. */
  forget(): Promise<void>
  show(): void
  showPreferences(): void
  showAudit(): void
  hide(): void
  /** Subscribes to `change`, `ready`, `show` or `hide`; returns the unsubscribe function. */
  on(type: ConsentEventType, callback: (state: ConsentState, view: View | null) => void): () => void
  /** Every gated tag and refused request so far. */
  audit(): TagReport[]
  /** Releases one held tag for this page view only ("Load once"), storing no consent. */
  loadOnce(tagId: number): void
  /** The validated config (read-only). */
  readonly config: Readonly<ResolvedConfig>
  /** Live, read-only stores for the UI and page scripts. */
  readonly stores: ReadonlyStores
  readonly version: string
}

/** What the API needs besides the context. */
export interface ApiDeps {
  ready: Promise<ConsentState>
  /** The consent key; `null` (after one warning) when WebCrypto is unavailable: decisions then last this page view. */
  key: () => Promise<KeyHandle | null>
  audit: () => TagReport[]
  loadOnce: (tagId: number) => void
  loadUi: ((api: ConsentApi) => Promise<void>) | null
}

function canonicalJson(value: unknown): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value)
  const o = value as Record<string, unknown>
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
}

/**
 * SHA-256 hex of a texts object, keys sorted at every level: what `shown.texts` in the log carries.
 * @param texts effective texts of the language shown
 */
export function hashTexts(texts: Record<string, unknown>): Promise<string> {
  return sha256Hex(canonicalJson(texts))
}

/**
 * Builds the frozen public API over one SDK instance.
 * @param ctx the instance's context
 * @param deps collaborators created by `createConsent`
 */
export function createApi(ctx: ConsentContext, deps: ApiDeps): ConsentApi {
  const { config, stores } = ctx
  const { $consent, $view } = stores
  const listeners = new Map<ConsentEventType, Set<(state: ConsentState, view: View | null) => void>>()
  let queue: Promise<unknown> = deps.ready

  const emit = (type: ConsentEventType) => {
    const state = $consent.get()
    const view = $view.get()
    for (const cb of listeners.get(type) ?? []) {
      try {
        cb(state, view)
      } catch (error) {
        console.error(`${LOG_PREFIX} a "${type}" listener threw:`, error) // the other listeners still run
      }
    }
    document.dispatchEvent(new CustomEvent(DOM_EVENT, { detail: { type, state, view } }))
  }
  $consent.listen((state, prev) => {
    if (state.eventId && state.eventId !== prev?.eventId) emit('change')
  })
  $view.listen((view) => emit(view ? 'show' : 'hide'))
  let isReady = false
  deps.ready.then(() => {
    isReady = true
    emit('ready')
  })

  const open = (view: View) => {
    if (!config.valid) return
    $view.set(view)
    deps.loadUi?.(api).catch((error) => ctx.warnOnce(String(error.message ?? error)))
  }

  const persist = async (state: ConsentState) => {
    const key = await deps.key()
    if (!key) return // the key getter already warned: the decision lasts this page view
    if (!state.decided) return eraseStoredConsent(config)
    const granted = Object.keys(state.categories).filter((id) => state.categories[id])
    await writeStoredConsent(config, key, {
      v: 1, id: state.consentId!, t: Math.floor(state.updatedAt! / 1000), p: config.policyVersion,
      c: granted, s: state.source!, h: state.textsHash,
    })
  }

  // Actions run one after another, after `ready`, so a click during start-up is never overwritten by the cookie read.
  const decide = (action: ConsentAction, choose: (id: string, current: boolean) => boolean, options: ActionOptions = {}) => {
    const run = queue.then(async () => {
      if (!config.valid) throw new Error(`${LOG_PREFIX} ${action} refused: the config is invalid (see the error above)`)
      const prev = $consent.get()
      const categories: Record<string, boolean> = {}
      for (const c of config.categories) categories[c.id] = c.required || choose(c.id, prev.categories[c.id] ?? false)
      const shown = options.shown ?? null
      const textsHash = shown ? await hashTexts(shown.texts).catch(() => null) : null
      const next: ConsentState = {
        ...(action === 'forget' ? undecidedState(config, 'none') : { decided: true, reason: null }),
        categories: action === 'forget' ? undecidedState(config, 'none').categories : categories,
        consentId: prev.consentId ?? uuid(),
        policyVersion: config.policyVersion,
        updatedAt: Date.now(),
        source: options.source ?? 'api',
        action,
        eventId: uuid(),
        gpc: prev.gpc,
        textsHash,
        shownLang: shown ? shown.lang : null,
      } as ConsentState
      $consent.set(next)
      const saved = persist(next)
      ctx.track(saved)
      await saved
      if (action === 'forget') $consent.set({ ...next, consentId: null })
      return $consent.get()
    })
    queue = run.catch(() => undefined) // one refused action does not block the next
    return run
  }

  const assertKnown = (partial: Record<string, boolean>) => {
    for (const [id, value] of Object.entries(partial ?? {})) {
      if (!config.categories.some((c) => c.id === id)) {
        return Promise.reject(new Error(`${LOG_PREFIX} set(): "${id}" is not a configured category (have: ${config.categories.map((c) => c.id).join(', ')})`))
      }
      if (typeof value !== 'boolean') return Promise.reject(new Error(`${LOG_PREFIX} set(): ${id} must be true or false`))
    }
    return null
  }

  const api: ConsentApi = Object.freeze({
    ready: deps.ready,
    version: SDK_VERSION,
    config: Object.freeze(config),
    stores: Object.freeze({ $consent, $view, $tags: stores.$tags }),
    get: () => $consent.get(),
    has: (category: string) => $consent.get().categories[category] === true,
    acceptAll: (options?: ActionOptions) => decide('accept_all', () => true, options),
    rejectAll: (options?: ActionOptions) => decide('reject_all', () => false, options),
    set: (partial: Record<string, boolean>, options?: ActionOptions) =>
      assertKnown(partial) ?? decide('custom', (id, current) => partial[id] ?? current, options),
    withdraw: (options?: ActionOptions) => decide('withdraw', () => false, options),
    forget: async () => {
      await decide('forget', () => false)
      open('banner')
    },
    show: () => open('banner'),
    showPreferences: () => open('preferences'),
    showAudit: () => open('audit'),
    hide: () => $view.set(null),
    on(type: ConsentEventType, callback: (state: ConsentState, view: View | null) => void) {
      const set = listeners.get(type) ?? new Set()
      listeners.set(type, set.add(callback))
      if (type === 'ready' && isReady) queueMicrotask(() => set.has(callback) && callback($consent.get(), $view.get()))
      return () => void set.delete(callback)
    },
    audit: deps.audit,
    loadOnce: deps.loadOnce,
  })
  return api
}
