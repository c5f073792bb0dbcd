import { SDK_VERSION } from './api'
import type { ConsentContext } from './context'
import { createOutbox } from './outbox'
import type { OutboxEntry } from './outbox'
import type { ConsentLogEvent } from './log-event'
import type { ConsentState, ResolvedConfig } from './types'

export type { ConsentLogEvent }

const TIMEOUT = 1e4
const MAX_DELAY = 6e4

const toEvent = (s: ConsentState, p: ConsentState | undefined, config: ResolvedConfig): ConsentLogEvent => ({
  eventId: s.eventId!,
  consentId: s.consentId!,
  timestamp: new Date(s.updatedAt!).toISOString(),
  action: s.action!,
  source: s.source!,
  categories: s.categories,
  // Only when the config names services: a category-only site sends exactly the first release's event.
  ...(Object.keys(s.services).length ? { services: s.services } : {}),
  previous: p?.decided ? p.categories : null,
  policyVersion: s.policyVersion,
  language: s.shownLang ?? config.lang,
  page: location.origin + location.pathname,
  gpc: s.gpc,
  sdkVersion: SDK_VERSION,
  shown: s.textsHash ? { texts: s.textsHash, lang: s.shownLang! } : null,
})

/**
 * Starts consent-log delivery: every consent change goes to an encrypted outbox first, then to `config.endpoint`,
 * retried until a 2xx. The page never waits for it and nothing here throws into the page.
 * @param ctx SDK context
 */
export function startConsentLog(ctx: ConsentContext): void {
  const { config } = ctx
  const url = config.endpoint
  if (!url) return ctx.warnOnce('no endpoint configured: consent changes are not logged')
  const box = createOutbox(config.cookieName, config.encryptionKey)
  const beaconed = new WeakSet<OutboxEntry>()
  let queue: Promise<unknown> = Promise.resolve()
  let timer: ReturnType<typeof setTimeout> | undefined

  const schedule = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(flush, Math.min(ms, 2e9)) // past 2^31 ms a timer would fire at once
  }

  /** 0 delivered, a negative status when refused for good, else the milliseconds to wait before retrying. */
  const send = async (x: OutboxEntry): Promise<number> => {
    let wait = 0
    try {
      const res = await fetch(url, {
        method: 'POST',
        keepalive: true,
        credentials: config.endpointCredentials,
        headers: { ...config.endpointHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify(x.e),
        signal: AbortSignal.timeout?.(TIMEOUT),
      })
      const s = res.status
      if (res.ok) return 0
      if (s > 399 && s < 500 && s !== 408 && s !== 429) return -s
      // RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
      const v = res.headers.get('Retry-After')
      wait = (v && (/^\d+$/.test(v) ? +v * 1e3 : Date.parse(v) - Date.now())) || 0
    } catch {
      // Network error, CORS refusal or timeout: retry.
    }
    return Math.max(wait, Math.min(MAX_DELAY, 1e3 * 2 ** x.n * (0.8 + Math.random() * 0.4)))
  }

  const run = async (force: boolean | undefined, renew: () => void) => {
    let next = Infinity
    for (const x of await box.list()) {
      if (!force && x.d > Date.now()) {
        next = Math.min(next, x.d)
        continue
      }
      renew()
      const r = await send(x)
      if (r > 0) {
        // The endpoint is failing: everything else waits with this event instead of hammering it.
        x.n++
        next = Math.min(next, (x.d = Date.now() + r))
        await box.put(x)
        break
      }
      box.del(x.e.eventId, r ? `the endpoint refused it with ${-r}` : '')
    }
    clearTimeout(timer)
    if (next < Infinity) schedule(next - Date.now())
  }

  function flush(force?: boolean) {
    queue = queue
      .then(() => box.lock((renew) => run(force, renew)))
      .then((busy) => busy && schedule(busy))
      .catch(() => undefined)
  }

  const beacon = () => {
    for (const x of box.mem.values()) {
      if (beaconed.has(x)) continue
      beaconed.add(x)
      // A string body goes as text/plain;charset=UTF-8: no CORS preflight. It stays in the outbox until a fetch gets a 2xx.
      try {
        navigator.sendBeacon(url, JSON.stringify(x.e))
      } catch {
        // No beacon support: the next page load sends it.
      }
    }
  }

  ctx.stores.$consent.listen((s, p) => {
    if (!s.eventId || s.eventId === p?.eventId) return
    const written = box.put({ e: toEvent(s, p, config), n: 0, d: 0 })
    ctx.track(written)
    written.then(() => flush())
  })
  addEventListener('pagehide', beacon)
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && beacon())
  addEventListener('online', () => flush(true))
  flush()
}
