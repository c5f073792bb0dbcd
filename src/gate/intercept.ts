import { LOADERS } from './markup'

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

const SCAN = 'script,img,iframe,source,link,video,audio,object,embed,image,feImage,[data-consent]'
// Tags in held form a child document may hold already (a rewritten srcdoc, markup): registered when it is adopted.
const HELD = '[data-consent],[data-consent-rule]'
// A script the gate held by a rule (parsed or written into the page): its copies are what `cloneNode` leaves inert.
const COPIED = 'script[data-consent-rule]'
const LOADS = /<(img|iframe|script|source|link|video|audio|object|embed)\b/i
// What needs a look after HTML from a non-running sink is in place: scripts (inert), declarative shadow roots (unobserved).
const SETTLE = /<script|shadowrootmode/i
// A start tag as the HTML tokenizer ends it: at the first `>` outside a quoted attribute value.
const TAG = /<(?:img|iframe|script|source|link|video|audio|object|embed)(?=[\s/>])(?:=\s*"[^"]*"|=\s*'[^']*'|[^>])*>/gi
const START = /^<[^>"]*(?:"[^"]*"[^>"]*)*>/
// Elements whose innerHTML is text, not markup.
const RAW_TEXT = /^(script|style|textarea|title|xmp|noscript|iframe|noembed|noframes|plaintext)$/
// The setters that start a load, by class: `HTMLMediaElement` carries `src` for video and audio.
const SETTERS = 'HTMLScriptElement src,HTMLImageElement src srcset,HTMLIFrameElement src,HTMLSourceElement src srcset,HTMLLinkElement href,HTMLMediaElement src,HTMLVideoElement poster,HTMLObjectElement data,HTMLEmbedElement src'

type Win = Window & typeof globalThis
type Setter = (this: Element, v: string) => void
const patch = (proto: object, name: string, wrap: (set: Setter) => Setter) => {
  const d = Object.getOwnPropertyDescriptor(proto, name)
  if (d) Object.defineProperty(proto, name, { ...d, set: wrap(d.set as Setter) })
}

/**
 * Installs interception in the page and in every same-origin child document it reaches (a "friendly" iframe written
 * by script, a srcdoc): the loading setters of scripts, images, sources, iframes, links, video/audio, object and
 * embed, `setAttribute` / `setAttributeNS`, every HTML-string sink (`innerHTML`, `outerHTML`, `insertAdjacentHTML`,
 * shadow roots, `createContextualFragment`, `setHTMLUnsafe`, `document.write`, `srcdoc`), and a MutationObserver for
 * everything inserted.
 * @param hooks the gate's decisions
 * @returns stops the observers (the patches stay: another script may have wrapped them since; a stale gate passes through)
 */
export function intercept({ hold, check, stash, inert, realm, stale }: Hooks): () => void {
  const docs = new WeakSet<Document>()
  const observers: MutationObserver[] = []
  const started = new WeakSet<Element>()
  const realms = new WeakMap<object, (root: Node) => void>()
  const contentDocument = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentDocument')!.get!
  // A child document is adopted when page code can first reach it (contentWindow / contentDocument) and when its
  // iframe loads (srcdoc, a same-origin page): its realm is patched once, the document observed, its held tags registered.
  const adopt = (d: Document | null) => {
    const w = d?.defaultView as Win | null
    if (!w || docs.has(d!)) return
    docs.add(d!)
    const E = w.Element.prototype
    const watch = realms.get(E) ?? install(w)
    realms.set(E, watch)
    watch(d!)
    d!.addEventListener('load', (e) => {
      if ((e.target as Element).tagName == 'IFRAME') adopt(contentDocument.call(e.target))
    }, true)
    for (const e of d!.querySelectorAll(HELD)) check(e)
  }
  const install = (w: Win) => {
    const E = w.Element.prototype
    const sa = E.setAttribute
    const sans = E.setAttributeNS
    const proto = (name: string) => (w[name as keyof Win] as { prototype: object } | undefined)?.prototype
    // Setting a URL starts the request at once (before insertion): decide before the browser sees it.
    // `set` writes the value the way page code asked (setAttribute, an Attr node, Attr.value), once allowed.
    const attr = (el: Element, n: string, v: string, set: Setter = function (v) {
      sa.call(this, n, v)
    }) => {
      n = n.toLowerCase()
      if (n == 'srcdoc' && el.tagName == 'IFRAME') return sa.call(el, n, rewrite(v, true) as string), true
      if (!LOADERS.get(el.localName)?.includes(n)) return
      return hold(el, n, v, set)
    }
    for (const s of SETTERS.split(',')) {
      const [C, ...names] = s.split(' ')
      for (const n of names) {
        patch(proto(C)!, n, (set) => function (v) {
          hold(this, n, v, set) || set.call(this, v)
        })
      }
    }
    E.setAttribute = function (n: string, v: string) {
      attr(this, n, v) || sa.call(this, n, v)
    }
    // The namespace is not looked at: a loading attribute's name (src, href, xlink:href…) is what counts.
    E.setAttributeNS = function (ns: string | null, n: string, v: string) {
      attr(this, n, v, () => sans.call(this, ns, n, v)) || sans.call(this, ns, n, v)
    }
    // An Attr node carries its value past setAttribute: setAttributeNode(NS) and the Attr's value setter hold the same way.
    for (const m of ['setAttributeNode', 'setAttributeNodeNS'] as const) {
      const f = E[m]
      E[m] = function (a: Attr) {
        return attr(this, a.name, a.value, () => f.call(this, a)) ? null : f.call(this, a)
      }
    }
    // Held, the old value goes too (the new one replaced it): a script must not start with it, and starts with the new
    // one once allowed. Allowed at once, setAttribute has changed this very Attr.
    patch(w.Attr.prototype, 'value', (set) => function (v) {
      const a = this as unknown as Attr
      const el = a.ownerElement
      if (!el || !attr(el, a.name, v)) set.call(this, v)
      else if (a.value != v) el.removeAttributeNode(a)
    })
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

    // HTML strings: each start tag that can load is read by the browser's own parser in a template (whose document has
    // no browsing context: nothing loads there); one a rule holds is replaced by its held form (`type="text/plain"`,
    // `data-src`…), and the gate registers it when it enters the page; an iframe's srcdoc is rewritten the same way.
    // Everything else reaches the parser byte for byte.
    // `runs`: scripts in this sink run (document.write, createContextualFragment, srcdoc); elsewhere they never do, and stay so.
    let html!: Setter
    let tpl: HTMLTemplateElement
    // A stale gate must not parse either: each gate's parse goes through the older gates' innerHTML setters, so stacked
    // instances (hot reloads, tests) would otherwise cost 2^n parses per tag.
    const rewrite = (v: unknown, runs?: boolean): unknown => {
      const s = String(v)
      if (stale() || !LOADS.test(s)) return v
      const out = s.replace(TAG, (tag) => {
        html.call(tpl ??= w.document.createElement('template'), tag)
        const e = tpl.content.lastElementChild
        if (!e) return tag
        let held = stash(e, runs)
        const doc = e.tagName == 'IFRAME' && e.getAttribute('srcdoc')
        if (doc) {
          const r = rewrite(doc, true)
          if (r != doc) {
            sa.call(e, 'srcdoc', r as string)
            held = true
          }
        }
        return held ? START.exec(e.outerHTML)![0] : tag
      })
      // Unchanged: the original value (a TrustedHTML stays one).
      return out == s ? v : out
    }
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
          for (const h of shadow.querySelectorAll(HELD)) check(h)
          settle(shadow.childNodes, true)
        }
      }
    }
    // Only the nodes the sink adds to `box` are looked at: a script beside them may still wait for the observer.
    const added = (box: ParentNode | null, v: unknown) => {
      if (!box || !SETTLE.test(String(v))) return
      const had = new Set(box.childNodes)
      return () => settle([...box.childNodes].filter((n) => !had.has(n)), /shadowrootmode/i.test(String(v)))
    }
    patch(E, 'innerHTML', (set) => {
      html = set
      return function (v) {
        if (RAW_TEXT.test(this.localName)) return set.call(this, v)
        const after = added(this, v)
        set.call(this, rewrite(v) as string)
        after?.()
      }
    })
    const sink = (runs?: boolean) => (set: Setter): Setter => function (v) {
      // outerHTML puts the new nodes where the element was; ShadowRoot#innerHTML inside the root.
      const after = !runs && added(this.nodeType == 1 ? this.parentNode : this, v)
      set.call(this, rewrite(v, runs) as string)
      if (after) after()
    }
    patch(E, 'outerHTML', sink())
    patch(w.ShadowRoot.prototype, 'innerHTML', sink())
    patch(F, 'srcdoc', sink(true))
    // `box`, for sinks where scripts never run: where the inserted nodes go.
    const wrap = (proto: object, name: string, at = 0, runs?: boolean, box?: (el: Element, a: unknown[]) => ParentNode | null, whole?: (this: Document, v: string) => string) => {
      const f = (proto as Record<string, (...a: unknown[]) => unknown>)[name]
      if (f) {
        ;(proto as Record<string, unknown>)[name] = function (this: Element, ...a: unknown[]) {
          // document.write writes its arguments (none: nothing) as one string: a tag may be split across them.
          if (runs && a.length != 1) a = [a.join('')]
          if (whole) a[0] = whole.call(this as unknown as Document, String(a[0]))
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
    wrap(proto('Range')!, 'createContextualFragment', 0, true)
    // document.write may split one tag across calls (legacy ad tags): an unfinished start tag at the end waits for the
    // next call, so the rewrite sees the whole tag; if none comes before the writing script ends, it is written as it was.
    const D = w.Document.prototype
    const write = D.write
    const tails = new WeakMap<Document, string>()
    wrap(D, 'write', 0, true, undefined, function (this: Document, v: string) {
      v = (tails.get(this) ?? '') + v
      tails.delete(this)
      const m = /<[a-z][^<]*$/i.exec(v)
      if (!m || START.test(m[0])) return v
      if (!tails.has(this)) queueMicrotask(() => {
        const t = tails.get(this)
        tails.delete(this)
        if (t) write.call(this, rewrite(t, true) as string)
      })
      tails.set(this, m[0])
      return v.slice(0, m.index)
    })
    D.writeln = function (...a: string[]) {
      D.write.call(this, a.join('') + '\n')
    }
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
    // new Audio(url) sets its src inside the browser, past the setter: it is set through the setter instead.
    const A = w.Audio
    w.Audio = function (src?: string) {
      const a = new A()
      if (src !== undefined) a.src = src
      return a
    } as unknown as typeof Audio
    w.Audio.prototype = A.prototype
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
    realm(w)
    return watch
  }
  adopt(document)
  return () => observers.forEach((mo) => mo.disconnect())
}
