import { CONSENT_ATTR, LOADERS, RULE_ATTR, URL_ATTRS, isScript, urlAttrs } from './markup'

/** What a tag or request waits for: category and service ids, all to be granted, and its absolute URL (null: none). */
export interface Wait {
  _needs: string[]
  _url: string | null
}

/** What an element waits for, and whether it is in held form already (a text/plain script, URLs in `data-*`). */
export interface Judgement extends Wait {
  _held?: boolean
}

/** Classifies elements and URLs against the config: markup first, else the rules. */
export interface Classifier {
  /**
   * What a tag or request waits for: markup (`data-consent`, or the rule's categories kept in held form) wins over
   * the rules; else the first URL a rule holds (of a srcset, any candidate). Undefined: nothing holds it.
   * @param el the element (null for a request)
   * @param value the URL about to load, if any
   * @param attr the attribute it is set on (`srcset` holds several candidates)
   */
  waitsFor(el: Element | null, value?: string | null, attr?: string): Wait | undefined
  /**
   * What an element entering the page or parsed from HTML waits for; undefined when nothing holds it.
   * @param el the element
   */
  judge(el: Element): Judgement | undefined
}

const href = (v: unknown) => {
  try {
    return new URL(v as string, document.baseURI).href
  } catch {
    return null
  }
}

/**
 * Creates the classifier. An unknown category can never be granted, so its tag stays blocked (with one warning).
 * @param ids the configured category ids
 * @param svc service id → category id
 * @param match the rules' matcher (undefined for a URL no rule holds); null when there are no rules
 * @param passedUrl the URL a `src` setter just let through, by element: not matched again when it is inserted
 * @param warnOnce the context's one-time warning
 */
export function createClassifier(
  ids: string[],
  svc: Record<string, string>,
  match: ((href: string) => string | undefined) | null,
  passedUrl: WeakMap<Element, string>,
  warnOnce: (message: string) => void,
): Classifier {
  const any = Object.keys(svc).length
  const waitsFor = (el: Element | null, v?: string | null, a?: string): Wait | undefined => {
    const m = el && (el.getAttribute(CONSENT_ATTR) ?? el.getAttribute(RULE_ATTR))
    const urls = v == null ? [] : a == 'srcset' ? v.trim().split(/[\s,]+/) : [v]
    if (m == null) {
      if (match) {
        for (const u of urls) {
          const h = href(u)
          const c = h && match(h)
          if (c) return { _needs: [c], _url: h }
        }
      }
      return
    }
    const cats = m.trim().split(/\s+/)
    for (const c of cats) if (!ids.includes(c) && !(c in svc)) warnOnce(`${CONSENT_ATTR}="${m}": unknown category${any ? ' or service' : ''} "${c}" (have: ${[...ids, ...Object.keys(svc)]}), the tag stays blocked`)
    return { _needs: cats, _url: urls.length ? href(urls[0]) : null }
  }
  const judge = (el: Element): Judgement | undefined => {
    const plain = isScript(el) && (el as HTMLScriptElement).type == 'text/plain'
    const marked = el.hasAttribute(CONSENT_ATTR) || el.hasAttribute(RULE_ATTR)
    if (marked) {
      if (plain) return { ...waitsFor(el, el.getAttribute('src'))!, _held: true }
      for (const a of URL_ATTRS) {
        const v = el.getAttribute('data-' + a)
        if (v != null) return { ...waitsFor(el, v, a)!, _held: true }
      }
    }
    if (plain || !(marked || LOADERS.has(el.localName))) return
    const c = passedUrl.get(el)
    for (const a of urlAttrs(el)) {
      const v = el.getAttribute(a)
      const r = v != null && v !== c && waitsFor(el, v, a)
      if (r) return r
    }
  }
  return { waitsFor, judge }
}
