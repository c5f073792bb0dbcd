/** The attribute that names the categories a tag needs (all of them). */
export const CONSENT_ATTR = 'data-consent'
/** Set by the gate on a tag it holds by a rule: the categories, so the held tag is handled like markup. */
export const RULE_ATTR = 'data-consent-rule'
/** Tags in held form (markup, or held by a rule): a child document or a shadow root may hold some already. */
export const HELD_SELECTOR = `[${CONSENT_ATTR}],[${RULE_ATTR}]`
/** Attributes that make a tag load; a held tag keeps each in `data-*` (`data-src`, `data-srcset`, `data-href`…). */
export const URL_ATTRS = ['src', 'srcset', 'href', 'poster', 'data']
/** The elements that load by URL, and the attributes that make each load. SVG: `<image>` and `<feImage>` load their
 * `href` (or the older `xlink:href`), an SVG `<script>` its `href`. */
export const LOADERS = new Map(Object.entries({
  script: ['src', 'href', 'xlink:href'],
  img: ['src', 'srcset'],
  iframe: ['src'],
  source: ['src', 'srcset'],
  link: ['href'],
  video: ['src', 'poster'],
  audio: ['src'],
  object: ['data'],
  embed: ['src'],
  image: ['href', 'xlink:href'],
  feImage: ['href', 'xlink:href'],
}))
/** Loading URL attributes of an element: its own if it loads by URL, else all of them (a marked tag of another kind). */
export const urlAttrs = (el: Element): string[] => LOADERS.get(el.localName) ?? URL_ATTRS

/** A same-origin child window's elements are no instances of this window's classes: the tag name tells an HTML element. */
export const isScript = (el: Element): boolean => el.tagName == 'SCRIPT'

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
