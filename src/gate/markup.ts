/** The attribute that names the categories a tag needs (all of them). */
export const CONSENT_ATTR = 'data-consent'
/** Set by the gate on a tag it holds by a rule: the categories, so the held tag is handled like markup. */
export const RULE_ATTR = 'data-consent-rule'
/** Attributes that make a tag load; a held tag keeps each in `data-*` (`data-src`, `data-srcset`, `data-href`…). */
export const URL_ATTRS = ['src', 'srcset', 'href', 'poster', 'data']
/** The elements that load by URL, and the attributes that make each load. */
// SVG: <image> and <feImage> load their href (or the older xlink:href); an SVG <script> its href.
export const LOADERS = new Map('script src href xlink:href,img src srcset,iframe src,source src srcset,link href,video src poster,audio src,object data,embed src,image href xlink:href,feImage href xlink:href'.split(',').map((s) => {
  const [tag, ...attrs] = s.split(' ')
  return [tag, attrs]
}))
/** Loading URL attributes of an element: its own if it loads by URL, else all of them (a marked tag of another kind). */
export const urlAttrs = (el: Element): string[] => LOADERS.get(el.localName) ?? URL_ATTRS

/** `setAttribute` as the browser made it. */
export type SetAttr = (this: Element, name: string, value: string) => void

/**
 * FNV-1a of an inline script, in hex: enough to tell two snippets apart in the audit, no WebCrypto on the start-up path.
 * @param code the script text
 */
export function hashCode(code: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 16777619)
  return (h >>> 0).toString(16)
}

/**
 * A runnable copy of a held script: every attribute but `type` (`data-type` restores one, e.g. `module`),
 * its CSP nonce and its code. External copies get `async = false`.
 * @param old the held `type="text/plain"` script
 * @param setAttr the unpatched `setAttribute`, so the copy is not held again
 */
export function recreate(old: HTMLScriptElement, setAttr: SetAttr): HTMLScriptElement {
  const s = old.ownerDocument.createElement('script')
  for (const { name, value } of old.attributes) if (name != 'type') setAttr.call(s, name, value)
  const type = old.getAttribute('data-type')
  if (type) s.type = type
  // Chromium hides the nonce attribute once the element is connected; the IDL property still holds it.
  s.nonce = old.nonce
  s.text = old.text
  s.async = false
  return s
}

/**
 * Gives an element its held URLs (`data-src` → `src`, `data-srcset`, `data-href`); a `<source>` makes its
 * `<video>` / `<audio>` load again.
 * @param el the held element
 * @param setAttr the unpatched `setAttribute`
 */
export function reveal(el: Element, setAttr: SetAttr): void {
  for (const a of URL_ATTRS) {
    const v = el.getAttribute('data-' + a)
    if (v != null) setAttr.call(el, a, v)
  }
  // A same-origin child window's element is no instance of this window's classes: only media elements have load().
  if (el.localName == 'source') (el.parentElement as HTMLMediaElement | null)?.load?.()
}
