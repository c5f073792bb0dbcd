import { atom } from 'nanostores'
import type { ReadableAtom, WritableAtom } from 'nanostores'
import type { ConsentState, ResolvedConfig, TagReport, UndecidedConsent, UndecidedReason, View } from './types'

/** The three hubs every part of the SDK talks through. */
export interface Stores {
  $consent: WritableAtom<ConsentState>
  $view: WritableAtom<View | null>
  /** The gate's registry: every gated element and refused request, in order of discovery. */
  $tags: WritableAtom<readonly TagReport[]>
}

/** A store as page scripts and the UI see it: read and listen, nothing that writes. */
export type ReadonlyStore<T> = Pick<ReadableAtom<T>, 'get' | 'listen' | 'subscribe'>

/** The same stores, read-only: what the UI and page scripts receive. */
export interface ReadonlyStores {
  $consent: ReadonlyStore<ConsentState>
  $view: ReadonlyStore<View | null>
  $tags: ReadonlyStore<readonly TagReport[]>
}

/**
 * A frozen read-only view of a store: the atom itself would still carry `set` at run time, and a page script
 * could then grant consent with no record written and no log event.
 * @param store the writable atom
 */
export function readonlyView<T>(store: ReadableAtom<T>): ReadonlyStore<T> {
  // nanostores' methods close over their atom (no `this`): they work detached.
  const { get, listen, subscribe } = store
  return Object.freeze({ get, listen, subscribe })
}

/**
 * The state before anything is known: every optional category off, required ones on.
 * @param config resolved config
 * @param reason why nothing is decided
 */
export function undecidedState(config: ResolvedConfig, reason: UndecidedReason): UndecidedConsent {
  const categories: Record<string, boolean> = {}
  const services: Record<string, boolean> = {}
  for (const c of config.categories) {
    categories[c.id] = c.required
    for (const s of c.services) if (s.id) services[s.id] = c.required
  }
  return {
    decided: false, categories, services, consentId: null, policyVersion: config.policyVersion, updatedAt: null,
    source: null, reason, gpc: false, change: null, action: null, eventId: null, textsHash: null, shownLang: null,
  }
}

/**
 * Creates the stores of one SDK instance; consent starts undecided ("loading") so nothing is released on a guess.
 * @param config resolved config
 */
export function createStores(config: ResolvedConfig): Stores {
  return {
    $consent: atom(undecidedState(config, config.valid ? 'loading' : 'invalid-config')),
    $view: atom<View | null>(null),
    $tags: atom<readonly TagReport[]>([]),
  }
}
