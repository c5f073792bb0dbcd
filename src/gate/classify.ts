import { createMatcher } from '../rule-matcher'
import type { ResolvedConfig } from '../types'
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

/** What a tag or request waits for; undefined: nothing holds it. `attr`: the attribute a URL is set on (`srcset` holds several). */
export type WaitsFor = (el: Element | null, value?: string | null, attr?: string) => Wait | undefined

const href = (v: unknown) => {
  try {
    return new URL(v as string, document.baseURI).href
  } catch {
    return null
  }
}

/**
 * Creates what tells what a tag or request waits for: markup (`data-consent`, or the rule's categories kept in held
 * form) wins over the rules; else the first URL a rule holds (of a srcset, any candidate). An unknown category can
 * never be granted, so its tag stays blocked (with one warning).
 * @param config the categories and rules
 * @param svc service id → category id
 * @param warnOnce the context's one-time warning
 */
export function createWaitsFor({ categories, rules }: ResolvedConfig, svc: Record<string, string>, warnOnce: (message: string) => void): WaitsFor {
  const ids = categories.map((c) => c.id)
  const any = Object.keys(svc).length
  const match = createMatcher(rules)
  return (el, v, a) => {
    const m = el && (el.getAttribute(CONSENT_ATTR) ?? el.getAttribute(RULE_ATTR))
    const urls = v == null ? [] : a == 'srcset' ? v.trim().split(/[\s,]+/) : [v]
    if (m == null) {
      if (rules.length) {
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
}

/**
 * What an element entering the page or parsed from HTML waits for, and whether it is in held form already.
 * @param el the element
 * @param waitsFor what a tag waits for
 * @param passedUrl the URL a `src` setter just let through, by element: not matched again when it is inserted
 * @returns undefined when nothing holds it
 */
export function judge(el: Element, waitsFor: WaitsFor, passedUrl: WeakMap<Element, string>): Judgement | undefined {
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
