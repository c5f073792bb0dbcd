import { HELD_SELECTOR } from './markup'
import type { Win } from './patch'

/**
 * Creates the adoption of documents: a child document is adopted when page code can first reach it (`contentWindow` /
 * `contentDocument`) and when its iframe loads (srcdoc, a same-origin page). Its realm is intercepted once (and its
 * iframes' `contentWindow` / `contentDocument` patched, so grandchildren are adopted too), the document observed, and
 * the tags it holds in held form already (a rewritten srcdoc, markup) registered.
 * @param install intercepts one window; returns what observes a root in it
 * @param check registers an element with the gate
 * @returns adopts a document (the page's first)
 */
export function adoptChildFrames(install: (w: Win) => (root: Node) => void, check: (el: Element) => void): (d: Document | null) => void {
  const docs = new WeakSet<Document>()
  const realms = new WeakMap<object, (root: Node) => void>()
  const contentDocument = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentDocument')!.get!
  const adopt = (d: Document | null) => {
    const w = d?.defaultView as Win | null
    if (!w || docs.has(d!)) return
    docs.add(d!)
    const E = w.Element.prototype
    // A new realm: its iframes are patched first, then everything else interception does.
    const watch = realms.get(E) ?? (reach(w), install(w))
    realms.set(E, watch)
    watch(d!)
    d!.addEventListener('load', (e) => {
      if ((e.target as Element).tagName == 'IFRAME') adopt(contentDocument.call(e.target))
    }, true)
    for (const e of d!.querySelectorAll(HELD_SELECTOR)) check(e)
  }
  /** Patches `contentWindow` / `contentDocument` of one window's iframes: reaching a child document adopts it. */
  const reach = (w: Win) => {
    const F = w.HTMLIFrameElement.prototype
    for (const n of ['contentWindow', 'contentDocument']) {
      const d = Object.getOwnPropertyDescriptor(F, n)!
      Object.defineProperty(F, n, {
        ...d,
        get() {
          adopt(contentDocument.call(this))
          return d.get!.call(this)
        },
      })
    }
  }
  return adopt
}
