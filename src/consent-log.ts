import { SDK_VERSION } from './api'
import { LOG_PREFIX } from './config'
import type { ConsentContext } from './context'
import { LOG_MAX_BODY_BYTES, LOG_MAX_PAGE } from './log-limits'
import { createOutbox } from './outbox'
import type { OutboxEntry } from './outbox'
import type { ConsentLogEvent } from './log-event'
import type { ConsentChange, ConsentState, ResolvedConfig } from './types'

export type { ConsentLogEvent }

/** What one attempt to deliver an event came to: delivered, refused for good, or to be tried again after a wait. */
export type Delivery = { kind: 'sent' } | { kind: 'drop'; reason: string } | { kind: 'retry'; afterMs: number; why: string }

const TIMEOUT = 1e4
const MAX_DELAY = 6e4
/** Attempts in flight at once: one failing event never holds up the others, and a flush after an outage stays gentle. */
const MAX_IN_FLIGHT = 2
/** An event that waited this long says so once per page view, so a site's monitoring sees a broken endpoint. */
const LONG_WAIT = 36e5

/**
 * The `page` of an event: origin and path, never query or fragment (they may carry personal data), cut to the
 * collector's limit (LOG_MAX_PAGE characters), never refused: the cut drops a broken percent-escape or a trailing
 * dot segment, which would no longer read back as the same URL.
 */
const logPage = (): string => (location.origin + location.pathname).slice(0, LOG_MAX_PAGE).replace(/(%.?|\/\.\.?)$/, '')

// A forget leaves nothing decided: its event names the consent id it forgets (published with it), now, and page code
// (forget() takes no options).
const toEvent = (s: ConsentState, change: ConsentChange, p: ConsentState, config: ResolvedConfig): ConsentLogEvent => ({
  eventId: change.eventId,
  consentId: s.consentId!,
  timestamp: new Date(s.updatedAt ?? Date.now()).toISOString(),
  action: change.action,
  source: s.source ?? 'api',
  categories: s.categories,
  // Only when the config names services: a category-only site sends exactly the first release's event.
  ...(Object.keys(s.services).length ? { services: s.services } : {}),
  previous: p.decided ? p.categories : null,
  policyVersion: s.policyVersion,
  language: change.shownLang ?? config.lang,
  page: logPage(),
  gpc: s.gpc,
  sdkVersion: SDK_VERSION,
  shown: change.textsHash ? { texts: change.textsHash, lang: change.shownLang ?? config.lang } : null,
})


/** Puts the event of a change in the outbox; resolves once it is stored (never rejects). Delivery follows on its own. */
export type LogChange = (state: ConsentState, previous: ConsentState) => Promise<void>

/**
 * Starts consent-log delivery: every consent change goes to an encrypted outbox first, then to `config.endpoint`,
 * each event on its own schedule, retried until a 2xx. The page never waits for delivery and nothing here throws into the page.
 * @param ctx SDK context
 * @returns what the write path calls with each change before publishing it, so a released tag finds its event stored
 */
export function startConsentLog(ctx: ConsentContext): LogChange {
  const { config } = ctx
  const url = config.endpoint
  if (!url) {
    ctx.warnOnce('no endpoint configured: consent changes are not logged')
    return async () => undefined
  }
  const box = createOutbox(config.cookieName, config.encryptionKey, ctx.warnOnce)
  const beaconed = new WeakSet<OutboxEntry>()
  const flying = new Map<string, Promise<void>>()
  // Once per event and page view: a conflict, a long wait.
  const said = new Set<string>()
  let running = false
  // A collector older than sentAt refuses it as an unknown field: this page then sends events without it.
  let withSentAt = true
  // Each attempt says when it was sent, by the visitor's clock: the collector compares it with its own receive time.
  const wire = (x: OutboxEntry) => JSON.stringify(withSentAt ? { ...x.e, sentAt: new Date().toISOString() } : x.e)
  let onlineAt = 0
  let again = false
  let wake = () => {}
  let timer: ReturnType<typeof setTimeout> | undefined

  const schedule = (ms: number) => {
    clearTimeout(timer)
    if (!ctx.destroyed) timer = setTimeout(flush, Math.min(Math.max(ms, 0), MAX_DELAY))
  }
  const once = (key: string, say: () => void) => said.has(key) || (said.add(key), say())

  const send = async (x: OutboxEntry): Promise<Delivery> => {
    let wait = 0
    let why = 'a network error or timeout'
    try {
      const res = await fetch(url, {
        method: 'POST',
        keepalive: true,
        credentials: config.endpointCredentials,
        headers: { ...config.endpointHeaders, 'Content-Type': 'application/json' },
        body: wire(x),
        signal: AbortSignal.timeout?.(TIMEOUT),
      })
      const s = res.status
      if (res.ok) return { kind: 'sent' }
      if (s === 413) return { kind: 'drop', reason: `the endpoint refused it as too large (413; the collector reads at most ${LOG_MAX_BODY_BYTES} bytes)` }
      // Only a refusal that names what is wrong is final: a 400 from a proxy or a bad deploy may pass by.
      const field = s === 400 || s === 422 ? await res.json().then((b) => b?.field, () => null) : null
      if (field === 'sentAt' && withSentAt) return (withSentAt = false), { kind: 'retry', afterMs: 0, why: 'sentAt refused' }
      if (typeof field === 'string' && field) return { kind: 'drop', reason: `the endpoint refused its field "${field}" with ${s}` }
      why = `HTTP ${s}`
      if (s === 409) {
        once(x.e.eventId + '409', () => console.error(`${LOG_PREFIX} consent log event ${x.e.eventId}: the endpoint holds a different body under this eventId (409); the event is kept and retried`))
      }
      // RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
      const v = res.headers.get('Retry-After')
      wait = (v && (/^\d+$/.test(v) ? +v * 1e3 : Date.parse(v) - Date.now())) || 0
    } catch {
      // Network error, CORS refusal or timeout: retry.
    }
    return { kind: 'retry', afterMs: Math.min(MAX_DELAY, Math.max(wait, 1e3 * 2 ** x.n * (0.8 + Math.random() * 0.4))), why }
  }

  const attempt = async (x: OutboxEntry, renew: () => void) => {
    renew()
    const seen = onlineAt
    const r = await send(x)
    const id = x.e.eventId
    if (r.kind === 'sent') return box.sent(id)
    if (r.kind === 'drop') return box.del(id, r.reason)
    x.n++
    // Back online while this attempt was out: the next one goes at once.
    x.d = seen === onlineAt ? Date.now() + r.afterMs : 0
    if (Date.now() - x.c! > LONG_WAIT) {
      once(id + 'wait', () => console.info(`${LOG_PREFIX} consent log event ${id} has waited ${Math.round((Date.now() - x.c!) / 6e4)} min for the endpoint (last: ${r.why}); it stays in the outbox`))
    }
    await box.put(x)
  }

  /** Sends what is due, at most MAX_IN_FLIGHT at once, until nothing is in flight; returns when the next is due. */
  const run = async (renew: () => void) => {
    for (;;) {
      const now = Date.now()
      let next = Infinity
      for (const x of await box.list()) {
        const id = x.e.eventId
        if (flying.has(id)) continue
        // Further ahead than any wait we set: the clock was set back since. Due now.
        if (x.d > now && x.d - now <= MAX_DELAY) next = Math.min(next, x.d)
        // When all slots are taken, the next attempt to land wakes this loop for the rest.
        else if (flying.size < MAX_IN_FLIGHT) flying.set(id, attempt(x, renew).catch(() => undefined).finally(() => flying.delete(id)))
      }
      if (!flying.size) return next
      await new Promise<void>((resolve) => {
        wake = resolve
        for (const f of flying.values()) f.then(resolve)
        if (next < Infinity) setTimeout(resolve, next - now)
      })
    }
  }

  function flush() {
    // Already running: the loop lists again now, and once more after it ends in case it was just ending.
    if (running) return (again = true), wake()
    running = true
    let next = Infinity
    box
      .lock(async (renew) => void (next = await run(renew)))
      .catch(() => undefined)
      .then((busy) => {
        running = false
        if (again) return (again = false), flush()
        if (busy) schedule(busy)
        else if (next < Infinity) schedule(next - Date.now())
      })
  }

  const beacon = () => {
    for (const x of box.mem.values()) {
      if (beaconed.has(x)) continue
      beaconed.add(x)
      // A string body goes as text/plain;charset=UTF-8: no CORS preflight. It stays in the outbox until a fetch gets a 2xx.
      try {
        navigator.sendBeacon(url, wire(x))
      } catch {
        // No beacon support: the next page load sends it.
      }
    }
  }

  const hidden = () => document.visibilityState === 'hidden' && beacon()
  const online = () => {
    onlineAt++
    for (const x of box.mem.values()) x.d = 0
    flush()
  }
  addEventListener('pagehide', beacon)
  document.addEventListener('visibilitychange', hidden)
  addEventListener('online', online)
  // What is still pending stays in the outbox: the next instance or page view sends it.
  ctx.onDestroy(() => {
    clearTimeout(timer)
    removeEventListener('pagehide', beacon)
    document.removeEventListener('visibilitychange', hidden)
    removeEventListener('online', online)
  })
  flush()
  return async (s, p) => {
    if (!s.change) return
    const now = Date.now()
    await box.put({ e: toEvent(s, s.change, p, config), n: 0, d: 0, c: now, y: 1, l: Math.floor(now / 864e5) })
    flush()
  }
}
