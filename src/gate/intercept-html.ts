import type { Hooks } from './intercept'
import { HELD_SELECTOR } from './markup'
import type { SetAttr } from './markup'
import { patch } from './patch'
import type { Setter, Win } from './patch'

/** Whether an HTML string names an element that can load: only then is it rewritten. */
export const HAS_LOADING_TAG = /<(img|iframe|script|source|link|video|audio|object|embed)\b/i
/** Whether HTML from a sink where scripts never run needs a look once in place: scripts (inert), declarative shadow roots (unobserved). */
export const HAS_SCRIPT_OR_SHADOW_ROOT = /<script|shadowrootmode/i
/** Every start tag of an element that can load, ended as the HTML tokenizer ends it: at the first `>` outside a quoted attribute value. */
export const LOADING_START_TAGS = /<(?:img|iframe|script|source|link|video|audio|object|embed)(?=[\s/>])(?:=\s*"[^"]*"|=\s*'[^']*'|[^>])*>/gi
/** The start tag that begins serialized HTML (`outerHTML`, which quotes every attribute value in `"`). */
export const SERIALIZED_START_TAG = /^<[^>"]*(?:"[^"]*"[^>"]*)*>/
// Elements whose innerHTML is text, not markup.
const RAW_TEXT = /^(script|style|textarea|title|xmp|noscript|iframe|noembed|noframes|plaintext)$/

/** An HTML string with the tags a rule holds in held form; `runs`: scripts run in this sink. Unchanged: the same value. */
export type Rewrite = (v: unknown, runs?: boolean) => unknown

/**
 * Intercepts the HTML-string sinks of one window: `innerHTML`, `outerHTML`, `insertAdjacentHTML`, shadow roots,
 * `setHTMLUnsafe`, `createContextualFragment`, `document.write` and an iframe's `srcdoc`. Each start tag that can load
 * is read by the browser's own parser in a template (whose document has no browsing context: nothing loads there);
 * one a rule holds is replaced by its held form (`type="text/plain"`, `data-src`…), and the gate registers it when it
 * enters the page; an iframe's srcdoc is rewritten the same way. Everything else reaches the parser byte for byte.
 * @param w the window
 * @param hooks the gate's `stash`, `check`, `inert` and `stale`
 * @param watch observes a (declarative) shadow root
 * @param setAttribute the window's own `setAttribute`
 * @returns the rewrite of HTML strings (for `srcdoc` set as an attribute)
 */
export function interceptHtml(w: Win, { stash, check, inert, stale }: Hooks, watch: (root: Node) => void, setAttribute: SetAttr): Rewrite {
  const E = w.Element.prototype
  // After HTML from a sink where scripts never run is in place: its scripts are marked inert (page code may copy them
  // into new, running scripts, which the setters then hold), and tags in its declarative shadow roots are registered.
  const settle = (nodes: Iterable<Node>, shadows: boolean) => {
    for (const n of nodes) {
      if (!(n as Element).tagName) continue
      for (const e of [n as Element, ...(n as Element).querySelectorAll('*')]) {
        if (e.tagName == 'SCRIPT') inert(e)
        const shadow = shadows && e.shadowRoot
        if (!shadow) continue
        watch(shadow)
        for (const h of shadow.querySelectorAll(HELD_SELECTOR)) check(h)
        settle(shadow.childNodes, true)
      }
    }
  }
  // Only the nodes the sink adds to `box` are looked at: a script beside them may still wait for the observer.
  const added = (box: ParentNode | null, v: unknown) => {
    if (!box || !HAS_SCRIPT_OR_SHADOW_ROOT.test(String(v))) return
    const had = new Set(box.childNodes)
    return () => settle([...box.childNodes].filter((n) => !had.has(n)), /shadowrootmode/i.test(String(v)))
  }
  // The template parses with the window's own innerHTML setter, the one this patch replaces.
  const html = patch(E, 'innerHTML', (set) => function (v) {
    if (RAW_TEXT.test(this.localName)) return set.call(this, v)
    const after = added(this, v)
    set.call(this, rewrite(v) as string)
    after?.()
  })!
  let tpl: HTMLTemplateElement
  // A stale gate must not parse either: each gate's parse goes through the older gates' innerHTML setters, so stacked
  // instances (hot reloads, tests) would otherwise cost 2^n parses per tag.
  const rewrite: Rewrite = (v, runs) => {
    const s = String(v)
    if (stale() || !HAS_LOADING_TAG.test(s)) return v
    const out = s.replace(LOADING_START_TAGS, (tag) => {
      html.call(tpl ??= w.document.createElement('template'), tag)
      const e = tpl.content.lastElementChild
      if (!e) return tag
      let held = stash(e, runs)
      const doc = e.tagName == 'IFRAME' && e.getAttribute('srcdoc')
      if (doc) {
        const r = rewrite(doc, true)
        if (r != doc) {
          setAttribute.call(e, 'srcdoc', r as string)
          held = true
        }
      }
      return held ? SERIALIZED_START_TAG.exec(e.outerHTML)![0] : tag
    })
    // Unchanged: the original value (a TrustedHTML stays one).
    return out == s ? v : out
  }
  // `runs`: scripts in this sink run (document.write, createContextualFragment, srcdoc); elsewhere they never do, and stay so.
  const sink = (runs?: boolean) => (set: Setter): Setter => function (v) {
    // outerHTML puts the new nodes where the element was; ShadowRoot#innerHTML inside the root.
    const after = !runs && added(this.nodeType == 1 ? this.parentNode : this, v)
    set.call(this, rewrite(v, runs) as string)
    if (after) after()
  }
  patch(E, 'outerHTML', sink())
  patch(w.ShadowRoot.prototype, 'innerHTML', sink())
  patch(w.HTMLIFrameElement.prototype, 'srcdoc', sink(true))
  // `box`, for sinks where scripts never run: where the inserted nodes go.
  const wrap = (proto: object, name: string, at = 0, runs?: boolean, box?: (el: Element, a: unknown[]) => ParentNode | null) => {
    const f = (proto as Record<string, (...a: unknown[]) => unknown>)[name]
    if (f) {
      ;(proto as Record<string, unknown>)[name] = function (this: Element, ...a: unknown[]) {
        const v = a[at]
        a[at] = rewrite(v, runs)
        const after = box && added(box(this, a), v)
        const out = f.apply(this, a)
        if (after) after()
        return out
      }
    }
  }
  const self = (el: Element) => el
  wrap(E, 'insertAdjacentHTML', 1, false, (el, [where]) => (/^(beforebegin|afterend)$/i.test(where as string) ? el.parentNode : el))
  wrap(E, 'setHTMLUnsafe', 0, false, self)
  wrap(w.ShadowRoot.prototype, 'setHTMLUnsafe', 0, false, self)
  wrap(w.Range.prototype, 'createContextualFragment', 0, true)
  const D = w.Document.prototype
  wrap(D, 'write', 0, true)
  // document.write writes its arguments as one string, and may split one tag across calls (legacy ad tags): an
  // unfinished start tag at the end waits for the next call, so the rewrite above sees the whole tag; if none comes
  // before the writing script ends, it is written as it was. writeln is write + newline, so the newline follows the tag.
  const write = D.write
  const tails = new WeakMap<Document, string>()
  D.write = function (...a: string[]) {
    const held = tails.get(this)
    let v = (held ?? '') + a.join('')
    tails.delete(this)
    const m = /<[a-z][^<]*$/i.exec(v)
    if (m && !SERIALIZED_START_TAG.test(m[0])) {
      // One flush per writing script: a tail held already has its own.
      if (held == null) queueMicrotask(() => {
        const t = tails.get(this)
        tails.delete(this)
        if (t) write.call(this, t)
      })
      tails.set(this, m[0])
      v = v.slice(0, m.index)
    }
    write.call(this, v)
  }
  D.writeln = function (...a: string[]) {
    D.write.call(this, a.join('') + '\n')
  }
  return rewrite
}
