import { LOG_PREFIX } from './config'
import { createStores } from './store'
import type { Stores } from './store'
import type { ResolvedConfig } from './types'

/** What every part of the core receives from `createConsent`: the config, the stores and shared plumbing. */
export interface ConsentContext {
  config: ResolvedConfig
  stores: Stores
  /** Registers work that must finish before the page may reload or unload (cookie write, outbox write). */
  track(work: Promise<unknown>): void
  /** Resolves once every tracked piece of work has settled. */
  settled(): Promise<void>
  /** Prints a prefixed warning once per distinct message. */
  warnOnce(message: string): void
  /** Registers what `destroy()` undoes: a listener, an observer, a timer (run at once when already destroyed). */
  onDestroy(stop: () => void): void
  /** Runs every registered stop, once. */
  destroy(): void
  /** True once `destroy()` ran: actions are refused from then on. */
  destroyed: boolean
}

/**
 * Creates the context of one SDK instance.
 * @param config resolved config
 */
export function createContext(config: ResolvedConfig): ConsentContext {
  const pending = new Set<Promise<unknown>>()
  const warned = new Set<string>()
  const stops: Array<() => void> = []
  const ctx: ConsentContext = {
    config,
    stores: createStores(config),
    track(work) {
      const done = work.catch(() => undefined).finally(() => pending.delete(done))
      pending.add(done)
    },
    async settled() {
      while (pending.size) await Promise.all(pending)
    },
    warnOnce(message) {
      if (warned.has(message)) return
      warned.add(message)
      console.warn(`${LOG_PREFIX} ${message}`)
    },
    destroyed: false,
    onDestroy: (stop) => void (ctx.destroyed ? stop() : stops.push(stop)),
    destroy() {
      ctx.destroyed = true
      for (const stop of stops.splice(0)) stop()
    },
  }
  return ctx
}
