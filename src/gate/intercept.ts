/** `setAttribute` as the browser made it. */
export type SetAttr = (this: Element, name: string, value: string) => void

/** What interception reports to the gate. */
export interface Hooks {
  /** A loading attribute (`src`, `srcset`, `href`) is being set: returns true when the gate took it (held, or released on the spot). */
  hold(el: Element, name: string, value: string, set: (this: Element, value: string) => void): boolean | undefined
  /** An element entered the document. */
  check(el: Element): void
  /** An element parsed from an HTML string (not in the page): puts it in held form when a rule holds it; true if so. */
  stash(el: Element, runs?: boolean): boolean | undefined
}

const SCAN = 'script,img,iframe,source,link,[data-consent]'
// The elements whose loading attributes the gate watches, and the attributes.
const LOADERS = /^(SCRIPT|IMG|IFRAME|SOURCE|LINK)$/
const LOADING = /^(src|srcset|href)$/i
const LOADS = /<(img|iframe|script|source|link)\b/i
// A start tag as the HTML tokenizer ends it: at the first `>` outside a quoted attribute value.
const TAG = /<(?:img|iframe|script|source|link)(?=[\s/>])(?:=\s*"[^"]*"|=\s*'[^']*'|[^>])*>/gi
const START = /^<[^>"]*(?:"[^"]*"[^>"]*)*>/
// Elements whose innerHTML is text, not markup.
const RAW_TEXT = /^(script|style|textarea|title|xmp|noscript|iframe|noembed|noframes|plaintext)$/

type Setter = (this: Element, v: string) => void
const patch = (proto: object, name: string, wrap: (set: Setter) => Setter) => {
  const d = Object.getOwnPropertyDescriptor(proto, name)
  if (d) Object.defineProperty(proto, name, { ...d, set: wrap(d.set as Setter) })
}

/**
 * Installs interception: the `src` / `srcset` / `href` setters of scripts, images, sources, iframes and links,
 * `setAttribute` / `setAttributeNS`, every HTML-string sink (`innerHTML`, `outerHTML`, `insertAdjacentHTML`,
 * shadow roots, `createContextualFragment`, `setHTMLUnsafe`, `document.write`), and a MutationObserver for
 * everything inserted.
 * @param hooks the gate's decisions
 * @returns the unpatched `setAttribute`, for the gate's own writes
 */
export function intercept({ hold, check, stash }: Hooks): SetAttr {
  const E = Element.prototype
  const sa = E.setAttribute
  const sans = E.setAttributeNS
  // Setting a URL starts the request at once (before insertion): decide before the browser sees it.
  const attr = (el: Element, n: string, v: string) => {
    if (!LOADING.test(n) || !LOADERS.test(el.tagName)) return
    n = n.toLowerCase()
    return hold(el, n, v, function (v) {
      sa.call(this, n, v)
    })
  }
  for (const [C, names] of [[HTMLScriptElement, 'src'], [HTMLImageElement, 'src srcset'], [HTMLIFrameElement, 'src'], [HTMLSourceElement, 'src srcset'], [HTMLLinkElement, 'href']] as const) {
    for (const n of names.split(' ')) {
      patch(C.prototype, n, (set) => function (v) {
        hold(this, n, v, set) || set.call(this, v)
      })
    }
  }
  E.setAttribute = function (n: string, v: string) {
    attr(this, n, v) || sa.call(this, n, v)
  }
  E.setAttributeNS = function (ns: string | null, n: string, v: string) {
    ;(!ns && attr(this, n, v)) || sans.call(this, ns, n, v)
  }

  // HTML strings: each start tag that can load is read by the browser's own parser in a template (whose document has
  // no browsing context: nothing loads there); one a rule holds is replaced by its held form (`type="text/plain"`,
  // `data-src`…), and the gate registers it when it enters the page. Everything else reaches the parser byte for byte.
  // `runs`: scripts in this sink run (document.write, createContextualFragment); elsewhere they never do, and stay so.
  let html!: Setter
  let tpl: HTMLTemplateElement
  const rewrite = (v: unknown, runs?: boolean) => {
    const s = String(v)
    if (!LOADS.test(s)) return v
    const out = s.replace(TAG, (tag) => {
      html.call(tpl ??= document.createElement('template'), tag)
      const e = tpl.content.lastElementChild
      return e && stash(e, runs) ? START.exec(e.outerHTML)![0] : tag
    })
    // Unchanged: the original value (a TrustedHTML stays one).
    return out == s ? v : out
  }
  patch(E, 'innerHTML', (set) => {
    html = set
    return function (v) {
      set.call(this, (RAW_TEXT.test(this.localName) ? v : rewrite(v)) as string)
    }
  })
  const sink = (set: Setter): Setter => function (v) {
    set.call(this, rewrite(v) as string)
  }
  patch(E, 'outerHTML', sink)
  patch(ShadowRoot.prototype, 'innerHTML', sink)
  const wrap = (proto: object, name: string, at = 0, runs?: boolean) => {
    const f = (proto as Record<string, (...a: unknown[]) => unknown>)[name]
    if (f) {
      ;(proto as Record<string, unknown>)[name] = function (this: unknown, ...a: unknown[]) {
        // document.write writes its arguments (none: nothing) as one string: a tag may be split across them.
        if (runs && a.length != 1) a = [a.join('')]
        a[at] = rewrite(a[at], runs)
        return f.apply(this, a)
      }
    }
  }
  wrap(E, 'insertAdjacentHTML', 1)
  wrap(E, 'setHTMLUnsafe')
  wrap(ShadowRoot.prototype, 'setHTMLUnsafe')
  for (const [proto, name] of [[Range.prototype, 'createContextualFragment'], [Document.prototype, 'write'], [Document.prototype, 'writeln']] as const) wrap(proto, name, 0, true)
  // Parser-inserted tags: the observer runs at the microtask checkpoint before a parsed script is prepared,
  // so a script turned into text/plain here is never run (the preload scanner may still have fetched it).
  const mo = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (!(n instanceof Element)) continue
        check(n)
        if (n.firstElementChild) for (const e of n.querySelectorAll(SCAN)) check(e)
      }
    }
  })
  const watch = (root: Node) => mo.observe(root, { childList: true, subtree: true })
  watch(document.documentElement)
  // A shadow tree is out of the document observer's sight: each one gets watched too (open or closed).
  const attach = E.attachShadow
  E.attachShadow = function (init: ShadowRootInit) {
    const root = attach.call(this, init)
    watch(root)
    return root
  }
  return sa
}
