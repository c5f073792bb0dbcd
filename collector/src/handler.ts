// The collector's request handler: routes, access checks and rate limits in front of the store. No sockets here
// (server.ts owns timeouts and the connection cap), so a site may also mount it inside its own node:http server.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { LOG_MAX_OUTBOX } from '../../src/log-limits.js'
import { allowedRequestHeaders, applyCors, hasAdminToken, hostAllowed } from './access.js'
import { serveAdmin } from './admin.js'
import { readJsonBody } from './body.js'
import { silentLogger } from './log.js'
import type { Logger } from './log.js'
import { createMetrics } from './metrics.js'
import type { Metrics } from './metrics.js'
import { createRateLimiter } from './rate-limit.js'
import type { Store } from './store.js'
import { DEFAULT_CATEGORIES, EVENT_FIELDS, isUuid4, validateEvent } from './validate.js'
import type { ConsentEvent } from './validate.js'

/** Token-bucket sizes: requests per second and burst, per client IP and per consent id. */
export interface RateLimits {
  ipRate: number
  ipBurst: number
  consentRate: number
  consentBurst: number
}

/** How a collector is configured (the CLI's flags map one to one). */
export interface CollectorOptions {
  store: Store
  /** The site's category ids (`--category`, repeatable); events naming others are refused. */
  categories?: readonly string[]
  /** Origins whose pages may post and read (`--origin`); `'*'` allows any, without credentials. */
  origins?: readonly string[]
  /** Answer `Access-Control-Allow-Credentials: true` to configured origins (`--credentials`). */
  credentials?: boolean
  /** Host names this collector answers to (`--host-name`); empty = any. */
  hosts?: readonly string[]
  /** Turns on the operator endpoints (`--admin-token`). */
  adminToken?: string
  /** Rate the client IP from the last `X-Forwarded-For` address (`--trust-proxy`, behind one reverse proxy). */
  trustProxy?: boolean
  rateLimits?: Partial<RateLimits>
  logger?: Logger
  now?: () => Date
}

/** A mounted collector. */
export interface Collector {
  /** Answers the collector's routes; resolves to `false`, touching nothing, for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>
  readonly metrics: Metrics
  readonly store: Store
}

/**
 * Defaults: a visitor sends a handful of events, but after an outage its outbox flushes up to LOG_MAX_OUTBOX at
 * once, which must not be refused; an office behind one NAT address sends many visitors' events.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { ipRate: 20, ipBurst: 2 * LOG_MAX_OUTBOX, consentRate: 1, consentBurst: LOG_MAX_OUTBOX }
const API = '/api/consent'
const HISTORY = /^\/api\/consent\/([^/]+)$/
const OPERATOR = /^\/admin(\/|$)/

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * Creates the collector's handler over a store.
 * @example
 * const collector = createCollector({ store: await openStore('./consent.db'), origins: ['https://www.minopio.com'] })
 * createServer(async (req, res) => { if (!(await collector.handle(req, res))) res.writeHead(404).end() })
 */
export function createCollector(options: CollectorOptions): Collector {
  const { store, categories = DEFAULT_CATEGORIES, origins = [], credentials = false, hosts = [], adminToken, trustProxy = false } = options
  const logger = options.logger ?? silentLogger
  const now = options.now ?? (() => new Date())
  // A flag not given arrives as `undefined`: it must not erase the default.
  const given = Object.entries(options.rateLimits ?? {}).filter(([, v]) => v !== undefined)
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...Object.fromEntries(given) }
  const perIp = createRateLimiter({ rate: limits.ipRate, burst: limits.ipBurst })
  const perConsent = createRateLimiter({ rate: limits.consentRate, burst: limits.consentBurst })
  const metrics = createMetrics()

  const clientIp = (req: IncomingMessage) => {
    const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() : ''
    // A request replayed in-process (tests, a site's own server) may have no socket.
    return forwarded || req.socket?.remoteAddress || 'unknown'
  }
  const refuse = (res: ServerResponse, status: number, reason: string, body: unknown, headers?: Record<string, string>) => {
    metrics.count('requests_rejected', { status: String(status), reason })
    sendJson(res, status, body, headers)
  }
  const limited = (res: ServerResponse, key: string, limiter: typeof perIp, reason: string) => {
    const admission = limiter.take(key)
    if (admission.allowed) return false
    refuse(res, 429, reason, { error: 'too many requests: retry after the Retry-After delay', field: null }, { 'Retry-After': String(admission.retryAfter) })
    return true
  }

  async function post(req: IncomingMessage, res: ServerResponse) {
    const body = await readJsonBody(req)
    if ('refusal' in body) {
      const { status, error, field, reason } = body.refusal
      // After a refused body the rest of it may still be arriving: close rather than read it.
      return refuse(res, status, reason, { error, field }, status === 413 ? { Connection: 'close' } : {})
    }
    const problem = validateEvent(body.value, { categories, now: now().getTime() })
    // The field of an unknown key is the client's text: one label for all of them keeps /metrics bounded.
    const known = problem && (EVENT_FIELDS as readonly (string | null)[]).includes(problem.field)
    if (problem) return refuse(res, 400, known ? `invalid_${problem.field}` : problem.field ? 'unknown_field' : 'invalid_body', problem)
    const event = body.value as ConsentEvent
    if (limited(res, event.consentId, perConsent, 'rate_consent')) return
    const result = await store.insert(event, now().toISOString())
    if (result === 'conflict') {
      metrics.count('events_conflict')
      logger('warn', { msg: 'a different body under a known eventId was refused and kept in consent_conflicts', eventId: event.eventId })
      return sendJson(res, 409, { error: 'eventId is already stored with a different body: send a new eventId for a new decision', field: 'eventId' })
    }
    metrics.count(result === 'created' ? 'events_stored' : 'events_duplicate')
    sendJson(res, result === 'created' ? 201 : 200, { eventId: event.eventId, stored: result })
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, method: string) {
    if (!applyCors(req, res, origins, credentials)) {
      return refuse(res, 403, 'origin', { error: `origin ${req.headers.origin} is not allowed: start the collector with --origin ${req.headers.origin}`, field: null })
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'POST, GET, OPTIONS', 'Access-Control-Allow-Headers': allowedRequestHeaders(req), 'Access-Control-Max-Age': '600' })
      return res.end()
    }
    if (limited(res, clientIp(req), perIp, 'rate_ip')) return
    const visitor = HISTORY.exec(path)
    if (!visitor) {
      return method === 'POST' ? post(req, res) : refuse(res, 405, 'method', { error: 'use POST', field: null }, { Allow: 'POST, OPTIONS' })
    }
    if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'method', { error: 'use GET', field: null }, { Allow: 'GET, OPTIONS' })
    const id = visitor[1]
    if (!isUuid4(id)) return refuse(res, 400, 'invalid_consentId', { error: 'the consent id must be a lowercase UUIDv4', field: 'consentId' })
    if (limited(res, id, perConsent, 'rate_consent')) return
    const events = (await store.history(id)).map(({ event, receivedAt, erasedAt }) => (event ? { ...event, receivedAt } : { erasedAt, receivedAt }))
    sendJson(res, 200, { consentId: id, events })
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<boolean> {
    const path = url.pathname
    if (path === API || HISTORY.test(path)) await api(req, res, path, method)
    else if (path === '/healthz') sendJson(res, 200, { status: 'ok' })
    else if (path === '/readyz') {
      const ok = await store.ping().then(() => true, () => false)
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unreachable' })
    } else if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(metrics.render())
    } else if (OPERATOR.test(path)) {
      // Without a configured token the operator endpoints do not exist; with one, nothing is shown without it.
      if (!adminToken) return false
      if (!hasAdminToken(req, adminToken)) {
        refuse(res, 401, 'admin_token', { error: 'the operator endpoints need Authorization: Bearer <admin token>', field: null },
          { 'WWW-Authenticate': 'Basic realm="minopio-collector", charset="UTF-8"' })
      } else if (!(await serveAdmin(method, url, res, store, sendJson, now))) return false
    } else return false
    return true
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const started = performance.now()
    const url = new URL(req.url ?? '/', 'http://collector.invalid')
    const method = req.method ?? 'GET'
    if (!hostAllowed(req, hosts)) {
      refuse(res, 421, 'host', { error: `host ${req.headers.host} is not served here: add it with --host-name`, field: null })
      return true
    }
    try {
      if (!(await route(req, res, url, method))) return false
    } catch (error) {
      logger('error', { msg: 'request failed', path: url.pathname, error: String((error as Error)?.stack ?? error) })
      if (!res.headersSent) sendJson(res, 503, { error: 'the collector could not store or read the log: retry later', field: null }, { 'Retry-After': '5' })
      else res.destroy()
    }
    // Ids in paths would make one series per visitor (and are personal data in a log): name the route, not the path.
    const routeName = url.pathname.replace(/\/[^/]{36}$/, '/:id')
    const seconds = (performance.now() - started) / 1000
    metrics.count('requests', { route: routeName })
    metrics.observe(seconds)
    logger('info', { msg: 'request', method, route: routeName, status: res.statusCode, ms: Math.round(seconds * 1000) })
    return true
  }

  return { handle, metrics, store }
}
