import { adoptChildFrames } from './child-frames'
import { interceptHtml } from './intercept-html'
import { interceptSetters } from './intercept-setters'
import { observe } from './observer'
import type { Win } from './patch'

/** What interception reports to the gate. */
export interface Hooks {
  /** A loading attribute (`src`, `srcset`, `href`, `poster`, `data`) is being set: returns true when the gate took it (held, or released on the spot). */
  hold(el: Element, name: string, value: string, set: (this: Element, value: string) => void): boolean | undefined
  /** An element entered the document. */
  check(el: Element): void
  /** An element parsed from an HTML string (not in the page): puts it in held form when a rule holds it; true if so. */
  stash(el: Element, runs?: boolean): boolean | undefined
  /** A script that HTML from a sink where scripts never run (innerHTML…) put in the page: the browser will never run it. */
  inert(el: Element): void
  /** A window whose prototypes interception just patched (the page's, then each same-origin child's). */
  realm(w: Window & typeof globalThis): void
  /** Whether this gate has stopped deciding (a newer one took over, or `destroy()`): its patches only pass through. */
  stale(): boolean
}

/**
 * Installs interception in the page and in every same-origin child document it reaches (a "friendly" iframe written
 * by script, a srcdoc): the URL setters (intercept-setters.ts), the HTML-string sinks (intercept-html.ts), child
 * frames (child-frames.ts) and a MutationObserver for everything inserted (observer.ts).
 * @param hooks the gate's decisions
 * @returns stops the observers (the patches stay: another script may have wrapped them since; a stale gate passes through)
 */
export function intercept(hooks: Hooks): () => void {
  const { hold, check, inert, realm } = hooks
  const observers: MutationObserver[] = []
  const started = new WeakSet<Element>()
  adoptChildFrames((w: Win) => {
    const setAttribute = w.Element.prototype.setAttribute
    const watch = observe(w, check, inert, observers, started)
    interceptSetters(w, hold, interceptHtml(w, hooks, watch, setAttribute), setAttribute)
    realm(w)
    return watch
  }, check)(document)
  return () => observers.forEach((mo) => mo.disconnect())
}
