import { atom } from 'nanostores'
import type { ReadableAtom, WritableAtom } from 'nanostores'
import type { ConsentState, ResolvedConfig, TagReport, View } from './types'

/** The three hubs every part of the SDK talks through. */
export interface Stores {
  $consent: WritableAtom<ConsentState>
  $view: WritableAtom<View | null>
  /** The gate's registry: every gated element and refused request, in order of discovery. */
  $tags: WritableAtom<readonly TagReport[]>
}

/** The same stores, read-only: what the UI and page scripts receive. */
export interface ReadonlyStores {
  $consent: ReadableAtom<ConsentState>
  $view: ReadableAtom<View | null>
  $tags: ReadableAtom<readonly TagReport[]>
}

/**
 * The state before anything is known: every optional category off, required ones on.
 * @param config resolved config
 * @param reason why nothing is decided
 */
export function undecidedState(config: ResolvedConfig, reason: ConsentState['reason']): ConsentState {
  const categories: Record<string, boolean> = {}
  const services: Record<string, boolean> = {}
  for (const c of config.categories) {
    categories[c.id] = c.required
    for (const s of c.services) if (s.id) services[s.id] = c.required
  }
  return {
    decided: false, categories, services, consentId: null, policyVersion: config.policyVersion, updatedAt: null,
    source: null, action: null, eventId: null, reason, gpc: false, textsHash: null, shownLang: null,
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
