/** `setAttribute` as the browser made it. */
export type SetAttr = (this: Element, name: string, value: string) => void

/** What interception reports to the gate. */
export interface Hooks {
  /** A `src` is being set: returns true when the gate took it (held, or released on the spot). */
  hold(el: Element, url: string, set: (this: Element, url: string) => void): boolean | undefined
  /** An element entered the document, or `fromHtml`: was parsed from an HTML string and is about to. */
  check(el: Element, fromHtml?: boolean): void
}

const SCAN = 'script,img,iframe,[data-consent]'
const SRC_TAGS = /^(SCRIPT|IMG|IFRAME)$/
const LOADS = /<(img|iframe|script)\b/i
const RAW_TEXT = /^(script|style|textarea|title|template|xmp|noscript)$/
const PLACES: Record<string, 'before' | 'prepend' | 'append' | 'after'> = {
  beforebegin: 'before', afterbegin: 'prepend', beforeend: 'append', afterend: 'after',
}

type Setter = (this: Element, v: string) => void
const patch = (proto: object, name: string, wrap: (set: Setter) => Setter) => {
  const d = Object.getOwnPropertyDescriptor(proto, name)!
  Object.defineProperty(proto, name, { ...d, set: wrap(d.set as Setter) })
}

/**
 * Installs interception: the `src` setters of scripts, images and iframes, `setAttribute('src')`,
 * `innerHTML` / `insertAdjacentHTML` carrying images or iframes, and a MutationObserver for everything inserted.
 * @param hooks the gate's decisions
 * @returns the unpatched `setAttribute`, for the gate's own writes
 */
export function intercept({ hold, check }: Hooks): SetAttr {
  const E = Element.prototype
  const sa = E.setAttribute
  const ia = E.insertAdjacentHTML
  const srcAttr = function (this: Element, v: string) {
    sa.call(this, 'src', v)
  }
  // Setting `src` starts the request at once (before insertion): decide before the browser sees the URL.
  for (const C of [HTMLScriptElement, HTMLImageElement, HTMLIFrameElement]) {
    patch(C.prototype, 'src', (set) => function (v) {
      hold(this, v, set) || set.call(this, v)
    })
  }
  E.setAttribute = function (n: string, v: string) {
    ;(/^src$/i.test(n) && SRC_TAGS.test(this.tagName) && hold(this, v, srcAttr)) || sa.call(this, n, v)
  }
  // Chromium navigates an inserted iframe (and may fetch an img) during insertion, before any observer runs,
  // so HTML that carries them is first parsed into a same-named element of a document with no browsing context
  // (nothing loads there, and the parsing context matches: a <table> still gets its <tbody>), checked, then moved.
  // Scripts parsed from a string never run (fragment parsing marks them "already started"): nor will the gate run them.
  let html!: Setter
  let doc: Document
  const inert = (ctx: Element | null, v: string) => {
    const t = (doc ??= document.implementation.createHTMLDocument('')).createElement(ctx?.localName ?? 'body')
    html.call(t, v)
    for (const e of t.querySelectorAll(SCAN)) check(e, true)
    return [...t.childNodes]
  }
  const parsesHtml = (el: Element, v: unknown) => LOADS.test(v as string) && el instanceof HTMLElement && !RAW_TEXT.test(el.localName)
  patch(E, 'innerHTML', (set) => {
    html = set
    return function (v) {
      parsesHtml(this, v) ? this.replaceChildren(...inert(this, v)) : set.call(this, v)
    }
  })
  E.insertAdjacentHTML = function (where: string, v: string) {
    const place = PLACES[String(where).toLowerCase()]
    // beforebegin / afterend parse in the context of the parent, as the browser does.
    place && parsesHtml(this, v) ? this[place](...inert(place == 'before' || place == 'after' ? this.parentElement : this, v)) : ia.call(this, where as InsertPosition, v)
  }
  // Parser-inserted tags: the observer runs at the microtask checkpoint before a parsed script is prepared,
  // so a script turned into text/plain here is never run (the preload scanner may still have fetched it).
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (!(n instanceof Element)) continue
        check(n)
        if (n.firstElementChild) for (const e of n.querySelectorAll(SCAN)) check(e)
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true })
  return sa
}
