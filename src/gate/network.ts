import { LOG_PREFIX } from '../config'
import type { TagKind } from '../types'

/** The gate's answer for a request: let it go, refuse it, or — stored consent still being read — the answer to come. */
export type Verdict = 'go' | 'refuse' | Promise<'go' | 'refuse'>

/** Decides (and records) whether a request must be refused. */
export type Judge = (kind: TagKind, url: unknown) => Verdict

/**
 * Guards `fetch`, `XMLHttpRequest` and `navigator.sendBeacon`: a refused request never leaves the browser.
 * `fetch` rejects with a TypeError (what a network error gives), XHR fails with a real network error
 * (`readyState` 4, `error` event), `sendBeacon` returns false. Allowed requests go through untouched; one made before
 * the stored consent is read waits for it (a returning visitor who agreed loses nothing to start-up).
 * @param judge the gate's decision for a URL
 * @param w the window to guard (the page, or a same-origin child window)
 */
export function guardNetwork(judge: Judge, w: Window & typeof globalThis = window): void {
  const n = w.navigator
  const f = w.fetch
  const beacon = n.sendBeacon
  const X = w.XMLHttpRequest.prototype
  const open = X.open as (this: XMLHttpRequest, ...a: unknown[]) => void
  const send = X.send
  const waiting = new WeakMap<XMLHttpRequest, () => Promise<unknown>>()
  // A blob URL nobody created: a network error without a byte on the wire, and the console names the cause.
  const refused = () => `blob:${w.location.origin}/minopio-consent-refused`
  if (f) {
    const refuse = (url: unknown) => w.Promise.reject(new w.TypeError(`${LOG_PREFIX} request refused until consent: ${url}`))
    w.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : input
      const v = judge('fetch', url)
      if (v == 'go') return f.call(w, input, init)
      if (v == 'refuse') return refuse(url)
      return v.then((x) => (x == 'go' ? f.call(w, input, init) : refuse(url)))
    }
  }
  if (beacon) {
    n.sendBeacon = (url, data) => {
      const v = judge('beacon', url)
      if (typeof v == 'string') return v == 'go' && beacon.call(n, url, data)
      // Queued, as the browser queues beacons: sent once the stored consent allows it.
      v.then((x) => x == 'go' && beacon.call(n, url, data))
      return true
    }
  }
  X.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    let v = judge('xhr', url)
    // A synchronous request cannot wait: until the stored consent is read it is refused.
    if (typeof v != 'string' && rest[0] === false) v = 'refuse'
    if (typeof v != 'string') {
      const later = v
      waiting.set(this, () => later.then((x) => x == 'refuse' && open.call(this, method, refused(), ...rest)))
    } else waiting.delete(this)
    open.call(this, method, v == 'refuse' ? refused() : url, ...rest)
  } as typeof X.open
  X.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const wait = waiting.get(this)
    if (!wait) return send.call(this, body)
    waiting.delete(this)
    wait().then(() => send.call(this, body))
  }
}
