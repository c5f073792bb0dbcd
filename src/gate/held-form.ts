import { CONSENT_ATTR, RULE_ATTR, URL_ATTRS, isScript, urlAttrs } from './markup'
import type { SetAttr } from './markup'

/**
 * Puts an element in held form: what markup would have been (`type="text/plain"`, URLs in `data-*`), plus the rule's
 * categories in `data-consent-rule` when it has no `data-consent`.
 * @param el the element to hold
 * @param needs the category and service ids it waits for
 * @param setAttr the unpatched `setAttribute`
 */
export function hide(el: Element, needs: string[], setAttr: SetAttr): void {
  if (isScript(el)) {
    const s = el as HTMLScriptElement
    if (s.type) setAttr.call(el, 'data-type', s.type)
    s.type = 'text/plain'
  } else {
    for (const a of urlAttrs(el)) {
      const v = el.getAttribute(a)
      if (v == null) continue
      // An SVG xlink:href comes back as href, which SVG 2 reads the same.
      setAttr.call(el, 'data-' + a.replace('xlink:', ''), v)
      // Navigating to about:blank cancels an iframe navigation already under way; removing src would not.
      el.tagName == 'IFRAME' && a == 'src' ? setAttr.call(el, a, 'about:blank') : el.removeAttribute(a)
    }
  }
  if (!el.hasAttribute(CONSENT_ATTR)) setAttr.call(el, RULE_ATTR, needs.join(' '))
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
