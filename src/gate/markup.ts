/** The attribute that names the categories a tag needs (all of them). */
export const CONSENT_ATTR = 'data-consent'
/** Markup-gated tags: inert scripts, and elements whose URL waits in `data-src`. */
export const MARKUP = 'script[type="text/plain"][data-consent],[data-consent][data-src]'

type SetAttr = (this: Element, name: string, value: string) => void

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
  const s = document.createElement('script')
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
 * Gives an element its held URL (`data-src` → `src`); a `<source>` makes its `<video>` / `<audio>` load again.
 * @param el the held element
 * @param url the URL to load
 * @param setAttr the unpatched `setAttribute`
 */
export function reveal(el: Element, url: string, setAttr: SetAttr): void {
  setAttr.call(el, 'src', url)
  const media = el.parentElement
  if (el.localName == 'source' && media instanceof HTMLMediaElement) media.load()
}
