import { recreate } from './held-form'
import type { SetAttr } from './markup'
import type { Registry } from './registry'

/**
 * Creates the ordered release of held scripts. Released scripts keep document order the way the browser's own in-order
 * queue does: external ones go in at once with async=false (they download in parallel, the browser runs them in
 * insertion order); an inline one waits until every external one before it has run. `chain` orders insertions; `ran`
 * settles when all inserted external scripts have loaded or failed.
 * @param setAttr the unpatched `setAttribute`, so a released copy is not held again
 * @param judged elements the gate has judged: a released copy is added, so the observer leaves it alone
 * @param watch reports a script's load or error to the registry, then calls `then`
 * @param mark the registry's state change
 * @returns for a held script, the release that inserts its runnable copy in turn
 */
export function createScriptRelease(
  setAttr: SetAttr,
  judged: WeakSet<Element>,
  watch: (el: Element, id: number, then?: () => void) => void,
  mark: Registry['mark'],
): (old: HTMLScriptElement) => (id: number) => void {
  let chain = Promise.resolve()
  let ran: Promise<unknown> = chain
  let running = 0
  const run = (old: HTMLScriptElement) => (id: number) => {
    // One release that throws (a page script removed or replaced what it copies) must not stall every later one.
    chain = chain.then(async () => {
      const external = old.hasAttribute('src')
      if (!external && running) await ran
      const s = recreate(old, setAttr)
      judged.add(s)
      if (external) {
        running++
        ran = Promise.all([ran, new Promise<void>((done) => watch(s, id, () => done(void running--)))])
      }
      old.parentNode ? old.replaceWith(s) : document.head.append(s)
      if (!external) mark(id, 'loaded', { element: s })
    }).catch(() => mark(id, 'error'))
  }
  return run
}
