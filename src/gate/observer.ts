import { CONSENT_ATTR, LOADERS, RULE_ATTR } from './markup'
import type { Win } from './patch'

// What an inserted subtree may hold that the gate checks: elements that load by URL, and marked tags of any kind.
const SCAN = `${[...LOADERS.keys()]},[${CONSENT_ATTR}]`
// A script the gate held by a rule (parsed or written into the page): its copies are what `cloneNode` leaves inert.
const COPIED = `script[${RULE_ATTR}]`

/**
 * Observes one window for inserted elements: a MutationObserver on each document and shadow root it is given (and
 * on every shadow root `attachShadow` creates), and the copies `cloneNode` / `importNode` make of held scripts.
 * @param w the window
 * @param check registers an inserted element with the gate
 * @param inert marks a script the browser will never run
 * @param observers collects the observer, so `destroy()` can disconnect it
 * @param started copies of started scripts, across windows: a copy of such a copy is started too
 * @returns observes a root (a document, a shadow root)
 */
export function observe(
  w: Win,
  check: (el: Element) => void,
  inert: (el: Element) => void,
  observers: MutationObserver[],
  started: WeakSet<Element>,
): (root: Node) => void {
  const E = w.Element.prototype
  // Parser-inserted tags: the observer runs at the microtask checkpoint before a parsed script is prepared,
  // so a script turned into text/plain here is never run (the preload scanner may still have fetched it).
  const mo = new w.MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (!(n as Element).tagName) continue
        check(n as Element)
        if ((n as Element).firstElementChild) for (const e of (n as Element).querySelectorAll(SCAN)) check(e)
      }
    }
  })
  observers.push(mo)
  // The document itself, not its root element: document.open (a write into a loaded frame) replaces the root.
  const watch = (root: Node) => mo.observe(root, { childList: true, subtree: true })
  // A shadow tree is out of the document observer's sight: each one gets watched too (open or closed).
  const attach = E.attachShadow
  E.attachShadow = function (init: ShadowRootInit) {
    const root = attach.call(this, init)
    watch(root)
    return root
  }
  // HTML's cloning steps copy a script's "already started": natively a copy of a script the browser started never
  // runs. A rule-held script in the page was such a script, so its copies are left inert and never released.
  // A copy of such a copy is started too: `started` remembers them. Source and copy list their scripts in one order.
  const scripts = (n: Element) => [n, ...n.querySelectorAll(COPIED)].filter((e) => e.matches(COPIED))
  type Copy = (this: Node, ...a: unknown[]) => Node
  let copying = false
  for (const [P, name] of [[w.Node.prototype, 'cloneNode'], [w.Document.prototype, 'importNode']] as unknown as [Record<string, Copy>, string][]) {
    const f = P[name]
    P[name] = function (...a) {
      // A DOM written in JS (happy-dom) clones children through this same method: only the outermost call looks.
      if (copying) return f.apply(this, a)
      copying = true
      let c: Element
      try {
        c = f.apply(this, a) as Element
      } finally {
        copying = false
      }
      const from = (name == 'importNode' ? a[0] : this) as Element
      if (c.tagName) {
        const copies = scripts(c)
        scripts(from).forEach((e, i) => {
          if (!e.isConnected && !started.has(e)) return
          started.add(copies[i])
          inert(copies[i])
        })
      }
      return c
    }
  }
  return watch
}
