import type { Hooks } from './intercept'
import { LOADERS } from './markup'
import type { SetAttr } from './markup'
import { patch } from './patch'
import type { Setter, Win } from './patch'

// The setters that start a load, by class: `HTMLMediaElement` carries `src` for video and audio.
const SETTERS: Record<string, string[]> = {
  HTMLScriptElement: ['src'],
  HTMLImageElement: ['src', 'srcset'],
  HTMLIFrameElement: ['src'],
  HTMLSourceElement: ['src', 'srcset'],
  HTMLLinkElement: ['href'],
  HTMLMediaElement: ['src'],
  HTMLVideoElement: ['poster'],
  HTMLObjectElement: ['data'],
  HTMLEmbedElement: ['src'],
}

/**
 * Intercepts the URL sinks of one window: the loading setters (`src`, `srcset`, `href`, `poster`, `data`),
 * `setAttribute` / `setAttributeNS` (an iframe's `srcdoc` is rewritten like any HTML string) and `new Audio(url)`.
 * Setting a URL starts the request at once (before insertion): the gate decides before the browser sees it.
 * @param w the window
 * @param hold the gate's decision on a URL being set
 * @param rewrite an HTML string with the tags a rule holds in held form (for `srcdoc`)
 * @param setAttribute the window's own `setAttribute`, taken before it is patched
 */
export function interceptSetters(w: Win, hold: Hooks['hold'], rewrite: (v: unknown, runs?: boolean) => unknown, setAttribute: SetAttr): void {
  const E = w.Element.prototype
  const setAttributeNS = E.setAttributeNS
  // `set` writes the value the way page code asked (setAttribute, an Attr node, Attr.value), once allowed.
  const attr = (el: Element, n: string, v: string, set: Setter = function (v) {
    setAttribute.call(this, n, v)
  }) => {
    n = n.toLowerCase()
    if (n == 'srcdoc' && el.tagName == 'IFRAME') return setAttribute.call(el, n, rewrite(v, true) as string), true
    if (!LOADERS.get(el.localName)?.includes(n)) return
    return hold(el, n, v, set)
  }
  for (const C in SETTERS) {
    for (const n of SETTERS[C]) {
      patch((w[C as keyof Win] as { prototype: object }).prototype, n, (set) => function (v) {
        hold(this, n, v, set) || set.call(this, v)
      })
    }
  }
  E.setAttribute = function (n: string, v: string) {
    attr(this, n, v) || setAttribute.call(this, n, v)
  }
  // The namespace is not looked at: a loading attribute's name (src, href, xlink:href…) is what counts.
  E.setAttributeNS = function (ns: string | null, n: string, v: string) {
    attr(this, n, v, () => setAttributeNS.call(this, ns, n, v)) || setAttributeNS.call(this, ns, n, v)
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
  // new Audio(url) sets its src inside the browser, past the setter: it is set through the setter instead.
  const A = w.Audio
  w.Audio = function (src?: string) {
    const a = new A()
    if (src !== undefined) a.src = src
    return a
  } as unknown as typeof Audio
  w.Audio.prototype = A.prototype
}
