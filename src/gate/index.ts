import type { ConsentContext } from '../context'
import type { TagReport } from '../types'

/** The running gate: its registry and the "Load once" release. */
export interface Gate {
  audit(): TagReport[]
  loadOnce(tagId: number): void
}

/**
 * Starts the gate. (Foundation placeholder: the markup scan, rules and interception land with the gate issue.)
 * @param ctx SDK context
 */
export function startGate(ctx: ConsentContext): Gate {
  return {
    audit: () => [...ctx.stores.$tags.get()],
    loadOnce: () => undefined,
  }
}
