import { LOG_PREFIX } from '../config'
import type { TagKind } from '../types'

/** Decides (and records) whether a request must be refused. */
export type Refuse = (kind: TagKind, url: unknown) => boolean | undefined

/**
 * Guards `fetch`, `XMLHttpRequest` and `navigator.sendBeacon`: a refused request never leaves the browser.
 * `fetch` rejects with a TypeError (what a network error gives), XHR fails with a real network error
 * (`readyState` 4, `error` event), `sendBeacon` returns false. Allowed requests go through untouched.
 * @param refuse the gate's decision for a URL
 * @param w the window to guard (the page, or a same-origin child window)
 */
export function guardNetwork(refuse: Refuse, w: Window & typeof globalThis = window): void {
  const n = w.navigator
  const f = w.fetch
  const beacon = n.sendBeacon
  const X = w.XMLHttpRequest.prototype
  const open = X.open as (this: XMLHttpRequest, ...a: unknown[]) => void
  if (f) {
    w.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : input
      return refuse('fetch', url) ? w.Promise.reject(new w.TypeError(`${LOG_PREFIX} request refused until consent: ${url}`)) : f.call(w, input, init)
    }
  }
  if (beacon) n.sendBeacon = (url, data) => !refuse('beacon', url) && beacon.call(n, url, data)
  X.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    // A blob URL nobody created: a network error without a byte on the wire, and the console names the cause.
    open.call(this, method, refuse('xhr', url) ? `blob:${w.location.origin}/minopio-consent-refused` : url, ...rest)
  } as typeof X.open
}
