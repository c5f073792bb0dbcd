import { LOG_PREFIX } from './config'
import type { ConsentContext } from './context'
import type { Choose, Decisions } from './decide'
import { readonlyView } from './store'
import type { ReadonlyStores } from './store'
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
  /** Whether a category or a service (by id) is granted now. */
  has(id: string): boolean
  /** Grants every category. */
  acceptAll(options?: ActionOptions): Promise<ConsentState>
  /** Refuses every optional category. */
  rejectAll(options?: ActionOptions): Promise<ConsentState>
  /**
   * Grants or refuses some categories and services (by id); the others keep their current value, except that a
   * category's services follow it unless named too.
   * @example
   * MinopioConsent.set({ 'kiln-films': true }) // the video player only, nothing else of marketing
   */
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
  /**
   * Tears this instance down (a single-page app leaving the page, a test): removes its listeners and stops the
   * consent log's timers, removes the UI the gate mounted, and refuses further actions. The gate stays installed: tags it holds stay held.
   */
  destroy(): void
  /** The validated config (read-only). */
  readonly config: Readonly<ResolvedConfig>
  /** Live, read-only stores for the UI and page scripts. */
  readonly stores: ReadonlyStores
  readonly version: string
}

/** What the API needs besides the context. */
export interface ApiDeps {
  ready: Promise<ConsentState>
  /** Loads and starts the write path (once). */
  write: () => Promise<Decisions>
  audit: () => TagReport[]
  loadOnce: (tagId: number) => void
  loadUi: ((api: ConsentApi) => Promise<(() => void) | void>) | null
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
  const offChange = $consent.listen((state, prev) => {
    if (!state.change || state.change === prev?.change) return
    // Any decision answers the banner, from the UI or from page code (a site's own "refuse" link).
    if (state.decided && $view.get() === 'banner') $view.set(null)
    emit('change')
  })
  const offView = $view.listen((view) => emit(view ? 'show' : 'hide'))
  ctx.onDestroy(() => {
    $view.set(null)
    offChange()
    offView()
    listeners.clear()
  })
  let isReady = false
  deps.ready.then(() => {
    isReady = true
    emit('ready')
  })

  let unmountUi: unknown
  const open = (view: View) => {
    if (!config.valid || ctx.destroyed) return
    $view.set(view)
    deps.loadUi?.(api).then((unmount) => {
      // The UI goes with its instance: no settings button or placeholder of a destroyed one stays on the page.
      if (unmount && !unmountUi) ctx.onDestroy((unmountUi = unmount))
      void deps.write().catch(() => undefined)
    }, (error) => ctx.warnOnce(String(error.message ?? error)))
  }

  // Actions run one after another, after `ready`, so a click during start-up is never overwritten by the cookie read.
  // The write path (encryption, cookie, consent log) arrives with the first of them.
  const decide = (action: ConsentAction, choose: Choose, options?: ActionOptions) => {
    const run = queue.then(() => {
      if (!config.valid) throw new Error(`${LOG_PREFIX} ${action} refused: the config is invalid (see the error above)`)
      if (ctx.destroyed) throw new Error(`${LOG_PREFIX} ${action} refused: destroy() was called`)
      return deps.write()
    }).then((w) => w.decide(action, choose, options ?? {}))
    queue = run.catch(() => undefined) // one refused action does not block the next
    return run
  }

  const assertKnown = (partial: Record<string, boolean>) => {
    const services = Object.keys($consent.get().services)
    for (const [id, value] of Object.entries(partial ?? {})) {
      if (!config.categories.some((c) => c.id === id) && !services.includes(id)) {
        return Promise.reject(new Error(`${LOG_PREFIX} set(): "${id}" is not a configured category${services.length ? ' or service' : ''} (have: ${[...config.categories.map((c) => c.id), ...services].join(', ')})`))
      }
      if (typeof value !== 'boolean') return Promise.reject(new Error(`${LOG_PREFIX} set(): ${id} must be true or false`))
    }
    return null
  }

  const api: ConsentApi = Object.freeze({
    ready: deps.ready,
    version: SDK_VERSION,
    config: Object.freeze(config),
    stores: Object.freeze({ $consent: readonlyView($consent), $view: readonlyView($view), $tags: readonlyView(stores.$tags) }),
    get: () => $consent.get(),
    has: (id: string) => {
      const s = $consent.get()
      return s.categories[id] === true || s.services[id] === true
    },
    acceptAll: (options?: ActionOptions) => decide('accept_all', () => true, options),
    rejectAll: (options?: ActionOptions) => decide('reject_all', () => false, options),
    set: (partial: Record<string, boolean>, options?: ActionOptions) =>
      assertKnown(partial) ?? decide('custom', (id) => partial[id], options),
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
    destroy: ctx.destroy,
  })
  return api
}
