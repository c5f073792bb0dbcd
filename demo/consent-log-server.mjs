// The demo consent-log server (DESIGN §7, §9): validates consent events strictly and keeps them in SQLite.
// Plain node:http handler, mounted by demo/server.mjs; `eventId` is the idempotency key.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

// A string, not a URL object: under happy-dom `URL` is not Node's.
const DEFAULT_FILE = join(dirname(fileURLToPath(import.meta.url)), '.data', 'consent.sqlite')
const MAX_BYTES = 16 * 1024
const ACTIONS = ['accept_all', 'reject_all', 'custom', 'withdraw', 'forget']
const SOURCES = ['banner', 'preferences', 'api', 'gpc']
const FIELDS = ['eventId', 'consentId', 'timestamp', 'action', 'source', 'categories', 'previous', 'policyVersion',
  'language', 'page', 'gpc', 'sdkVersion', 'shown']
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const HEX64 = /^[0-9a-f]{64}$/
const LANG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i
const CATEGORY_ID = /^[a-z][a-z0-9_-]{0,31}$/
const SEMVER = /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/
const HISTORY_PATH = /^\/api\/consent\/([^/]+)$/
const ADMIN_ROWS = 500
const utf8 = new TextDecoder('utf-8', { fatal: true })

const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v)
const shortString = (v, max) => typeof v === 'string' && v.length > 0 && v.length <= max

function isCategories(v) {
  if (!isObject(v)) return false
  const ids = Object.keys(v)
  return ids.length > 0 && ids.length <= 64 && ids.every((id) => CATEGORY_ID.test(id) && typeof v[id] === 'boolean')
}

function isPage(v) {
  if (!shortString(v, 2048)) return false
  try {
    const u = new URL(v)
    // Origin + path exactly: no query or fragment (they may carry personal data), no credentials, normalized.
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin + u.pathname === v
  } catch {
    return false
  }
}

const CHECKS = {
  eventId: (v) => typeof v === 'string' && UUID4.test(v) || 'must be a lowercase UUIDv4',
  consentId: (v) => typeof v === 'string' && UUID4.test(v) || 'must be a lowercase UUIDv4',
  timestamp: (v) => typeof v === 'string' && ISO.test(v) && new Date(v).toISOString() === v || 'must be an ISO 8601 UTC time like 2026-11-28T12:00:00.000Z',
  action: (v) => ACTIONS.includes(v) || `must be one of ${ACTIONS.join(', ')}`,
  source: (v) => SOURCES.includes(v) || `must be one of ${SOURCES.join(', ')}`,
  categories: (v) => isCategories(v) || 'must be an object of category id → true/false',
  previous: (v) => v === null || isCategories(v) || 'must be null or an object of category id → true/false',
  policyVersion: (v) => shortString(v, 64) || 'must be a string of 1 to 64 characters',
  language: (v) => shortString(v, 35) && LANG.test(v) || 'must be a language tag like "en" or "fr-BE"',
  page: (v) => isPage(v) || 'must be an http(s) URL of origin and path only, without query or fragment',
  gpc: (v) => typeof v === 'boolean' || 'must be true or false',
  sdkVersion: (v) => shortString(v, 32) && SEMVER.test(v) || 'must be a version like 1.0.0',
  shown: (v) => v === null || (isObject(v) && Object.keys(v).length === 2 && typeof v.texts === 'string' &&
    HEX64.test(v.texts) && shortString(v.lang, 35) && LANG.test(v.lang)) || 'must be null or { texts: 64 hex digits, lang }',
}

/**
 * Checks an event against DESIGN §7, field by field.
 * @returns `null` when valid, else `{ error, field }`
 */
export function validateEvent(event) {
  if (!isObject(event)) return { error: 'the body must be a JSON object', field: null }
  for (const field of Object.keys(event)) if (!FIELDS.includes(field)) return { error: `unknown field "${field}"`, field }
  for (const field of FIELDS) {
    if (!(field in event)) return { error: `${field} is missing`, field }
    const ok = CHECKS[field](event[field])
    if (ok !== true) return { error: `${field} ${ok}`, field }
  }
  return null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS consent_events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  consent_id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  action TEXT NOT NULL,
  source TEXT NOT NULL,
  categories TEXT NOT NULL,
  previous TEXT,
  policy_version TEXT NOT NULL,
  language TEXT NOT NULL,
  page TEXT NOT NULL,
  gpc INTEGER NOT NULL,
  sdk_version TEXT NOT NULL,
  shown_texts TEXT,
  shown_lang TEXT,
  received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_events_by_visitor ON consent_events (consent_id, timestamp, seq);`

const toEvent = (r) => ({
  eventId: r.event_id, consentId: r.consent_id, timestamp: r.timestamp, action: r.action, source: r.source,
  categories: JSON.parse(r.categories), previous: r.previous === null ? null : JSON.parse(r.previous),
  policyVersion: r.policy_version, language: r.language, page: r.page, gpc: r.gpc === 1, sdkVersion: r.sdk_version,
  shown: r.shown_texts === null ? null : { texts: r.shown_texts, lang: r.shown_lang }, receivedAt: r.received_at,
})

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const granted = (c) => (c ? Object.keys(c).filter((id) => c[id]).join(', ') || '(none)' : '—')

function adminPage(events, total) {
  const head = ['received', 'time', 'consent id', 'action', 'source', 'granted', 'before', 'policy', 'lang', 'page', 'GPC', 'texts shown', 'event id']
  const rows = events.map((e) => [e.receivedAt, e.timestamp, e.consentId, e.action, e.source, granted(e.categories),
    granted(e.previous), e.policyVersion, e.language, e.page, e.gpc ? 'yes' : 'no',
    e.shown ? `${e.shown.lang} ${e.shown.texts.slice(0, 12)}…` : '—', e.eventId])
  const cells = (r, tag) => r.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Consent log</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}</style>
</head><body><h1>Consent log</h1><p>${total} event(s), newest first${total > events.length ? `, the latest ${events.length} shown` : ''}.
JSON: <a href="/admin.json">/admin.json</a></p>
<table><thead><tr>${cells(head, 'th')}</tr></thead><tbody>
${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('\n')}
</tbody></table></body></html>`
}

function cors(req, res) {
  const origin = req.headers.origin
  // Echo the origin (not `*`) so sites may send the log with credentials: 'include'.
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*')
  res.setHeader('Vary', 'Origin')
  res.setHeader('Access-Control-Allow-Credentials', 'true')
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After')
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const type = typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json'
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
  res.end(text)
}

/** Reads at most MAX_BYTES of the body; `null` when it is larger. */
async function readBody(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BYTES) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * Creates the consent-log service over one SQLite file (WAL mode; created with its folder on start).
 * @param {{ file?: string }} [options] `file` defaults to demo/.data/consent.sqlite
 * @returns {{ handle(req, res): Promise<boolean>, db: import('better-sqlite3').Database, close(): void }}
 * `handle` answers `POST|OPTIONS /api/consent`, `GET /api/consent/:consentId`, `GET /admin`, `GET /admin.json`,
 * and resolves to `false` (touching nothing) for any other path.
 * @example
 * const log = createConsentLog()
 * createServer(async (req, res) => { if (!(await log.handle(req, res))) serveStatic(req, res) })
 */
export function createConsentLog({ file = DEFAULT_FILE } = {}) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  // WAL + NORMAL: a commit survives a crash of this process; only a power cut can lose the last transactions.
  db.pragma('synchronous = NORMAL')
  db.exec(SCHEMA)
  const insert = db.prepare(`INSERT INTO consent_events (event_id, consent_id, timestamp, action, source, categories, previous,
    policy_version, language, page, gpc, sdk_version, shown_texts, shown_lang, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`)
  const history = db.prepare('SELECT * FROM consent_events WHERE consent_id = ? ORDER BY timestamp, seq')
  const latest = db.prepare('SELECT * FROM consent_events ORDER BY seq DESC LIMIT ?')
  const count = db.prepare('SELECT COUNT(*) AS n FROM consent_events')

  const store = (e) => insert.run(e.eventId, e.consentId, e.timestamp, e.action, e.source, JSON.stringify(e.categories),
    e.previous === null ? null : JSON.stringify(e.previous), e.policyVersion, e.language, e.page, e.gpc ? 1 : 0,
    e.sdkVersion, e.shown?.texts ?? null, e.shown?.lang ?? null, new Date().toISOString()).changes

  async function post(req, res) {
    const [type, ...params] = (req.headers['content-type'] ?? '').toLowerCase().split(';').map((s) => s.trim())
    const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '')
    if (!['application/json', 'text/plain'].includes(type) || (charset && charset !== 'utf-8')) {
      return send(res, 415, { error: 'Content-Type must be application/json or text/plain;charset=UTF-8 (beacons)', field: null })
    }
    if (Number(req.headers['content-length']) > MAX_BYTES) {
      req.resume()
      return send(res, 413, { error: `the body is larger than ${MAX_BYTES} bytes`, field: null }, { Connection: 'close' })
    }
    const body = await readBody(req)
    if (!body) {
      req.resume()
      return send(res, 413, { error: `the body is larger than ${MAX_BYTES} bytes`, field: null }, { Connection: 'close' })
    }
    let event
    try {
      event = JSON.parse(utf8.decode(body))
    } catch {
      return send(res, 400, { error: 'the body is not UTF-8 JSON', field: null })
    }
    const problem = validateEvent(event)
    if (problem) return send(res, 400, problem)
    const stored = store(event)
    send(res, stored ? 201 : 200, { eventId: event.eventId, stored: stored ? 'created' : 'duplicate' })
  }

  async function handle(req, res) {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const visitor = HISTORY_PATH.exec(path)
    const api = path === '/api/consent' || visitor
    if (!api && path !== '/admin' && path !== '/admin.json') return false
    const method = req.method ?? 'GET'
    if (api) {
      cors(req, res)
      if (method === 'OPTIONS') {
        const asked = String(req.headers['access-control-request-headers'] ?? '')
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
          // Sites may configure any endpointHeaders: allow the header names the browser asks for (tokens only).
          'Access-Control-Allow-Headers': /^[\w-]+(\s*,\s*[\w-]+)*$/.test(asked) ? asked : 'Content-Type',
          'Access-Control-Max-Age': '600',
        })
        res.end()
        return true
      }
    }
    if (path === '/api/consent') {
      if (method !== 'POST') send(res, 405, { error: 'use POST', field: null }, { Allow: 'POST, OPTIONS' })
      else await post(req, res)
    } else if (method !== 'GET' && method !== 'HEAD') {
      send(res, 405, { error: 'use GET', field: null }, { Allow: 'GET' })
    } else if (visitor) {
      const id = visitor[1]
      if (!UUID4.test(id)) send(res, 400, { error: 'the consent id must be a lowercase UUIDv4', field: 'consentId' })
      else send(res, 200, { consentId: id, events: history.all(id).map(toEvent) })
    } else {
      const events = latest.all(ADMIN_ROWS).map(toEvent)
      const total = count.get().n
      if (path === '/admin.json') send(res, 200, { total, events })
      else send(res, 200, adminPage(events, total), { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" })
    }
    return true
  }

  return { handle, db, close: () => db.close() }
}
