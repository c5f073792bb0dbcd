import { LOG_PREFIX, serviceCategories } from './config'
import { startConsentLog } from './consent-log'
import type { ConsentContext } from './context'
import { sha256Hex } from './crypto'
import type { KeyHandle } from './crypto'
import { startRevoke } from './gate/revoke'
import { consentKey, eraseStoredConsent, writeStoredConsent } from './persist'
import { differingServices, uuid } from './record'
import { undecidedState } from './store'
import type { ActionOptions, ConsentAction, ConsentChange, ConsentState } from './types'

/** What the head script needs of the gate to react to a revocation. */
export interface GateView {
  /** Whether a tag of the category ran in this page view. */
  ran(category: string): boolean
  /** Whether a newer gate took over the page. */
  stale(): boolean
}

/** The new value of a category or service id, or `undefined` to leave it. */
export type Choose = (id: string) => boolean | undefined

/** The write path: turns an action into the new state, the encrypted cookie and a consent-log event. */
export interface Decisions {
  /**
   * Applies one action; resolves once the cookie is written. `choose` answers for a category or service id, or
   * `undefined` to leave it: a service left follows its category when the category was chosen, else keeps its value.
   */
  decide(action: ConsentAction, choose: Choose, options?: ActionOptions): Promise<ConsentState>
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
 * Starts the write path of one SDK instance (loaded on demand: on the first decision, when the UI shows, or when the
 * outbox holds events): the consent log starts delivering, and the revoke reaction listens to `$consent` from here on.
 * @param ctx the instance's context
 * @param gate what a revocation needs of the gate
 * @returns the decision maker the API's actions call
 */
export function startDecisions(ctx: ConsentContext, gate: GateView): Decisions {
  const { config, stores } = ctx
  const { $consent } = stores
  const serviceCategory = serviceCategories(config.categories)
  const log = startConsentLog(ctx)
  startRevoke(ctx, gate.ran, gate.stale)

  // WebCrypto missing (not a secure context): the decision lasts this page view.
  const key = () => consentKey(config).catch((): KeyHandle | null => {
    ctx.warnOnce('WebCrypto is unavailable (not a secure context?): consent is neither read from nor kept in the cookie')
    return null
  })
  const persist = async (state: ConsentState) => {
    const k = await key()
    if (!k) return
    if (!state.decided) return eraseStoredConsent(config)
    const granted = Object.keys(state.categories).filter((id) => state.categories[id])
    await writeStoredConsent(config, k, {
      v: 2, id: state.consentId, t: Math.floor(state.updatedAt / 1000), p: config.policyVersion,
      c: granted, s: state.source, h: state.change?.textsHash ?? null, d: differingServices(state, serviceCategory),
    })
  }

  return {
    async decide(action, choose, options = {}) {
      if (!config.valid) throw new Error(`${LOG_PREFIX} ${action} refused: the config is invalid (see the error above)`)
      const prev = $consent.get()
      const categories: Record<string, boolean> = {}
      const services: Record<string, boolean> = {}
      for (const c of config.categories) {
        const chosen = choose(c.id)
        categories[c.id] = c.required || (chosen ?? prev.categories[c.id] ?? false)
        // A category grant grants its services, unless the same decision switches one off.
        for (const s of c.services) if (s.id) services[s.id] = c.required || (choose(s.id) ?? chosen ?? prev.services[s.id] ?? false)
      }
      const shown = options.shown ?? null
      const change: ConsentChange = {
        action,
        eventId: uuid(),
        textsHash: shown ? await hashTexts(shown.texts).catch(() => null) : null,
        shownLang: shown ? shown.lang : null,
      }
      const consentId = prev.consentId ?? uuid()
      // A forget leaves nothing decided; it is published first with the consent id it forgets, which its log event names.
      const next: ConsentState = action === 'forget'
        ? { ...undecidedState(config, 'none'), consentId, gpc: prev.gpc, change, ...change }
        : {
          decided: true, reason: null, categories, services, consentId, policyVersion: config.policyVersion,
          updatedAt: Date.now(), source: options.source ?? 'api', gpc: prev.gpc, change, ...change,
        }
      // The proof first: a released tag that reads the consent cookie finds it and its event in the log's outbox,
      // and a visitor who leaves at once is not asked again on the next page.
      const saved = Promise.all([persist(next), log(next, prev)])
      ctx.track(saved)
      try {
        await saved
      } finally {
        $consent.set(next)
      }
      if (!next.decided) $consent.set({ ...next, consentId: null })
      return $consent.get()
    },
  }
}
