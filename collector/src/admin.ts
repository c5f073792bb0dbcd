// The operator's endpoints (behind the admin token): the log as an HTML page, an auditor's export as NDJSON or
// CSV, and erasure of one visitor's events (a data-subject request).
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { StoredEvent, Store } from './store.js'
import { isUuid4 } from './validate.js'

const ADMIN_ROWS = 500
const EXPORT_PAGE = 1000
const STYLE = 'body{font:14px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}'
// Strict: nothing but this exact stylesheet runs or loads; no framing (clickjacking), no referrer leaves the page.
const PAGE_HEADERS = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
}
const COLUMNS = ['receivedAt', 'eventId', 'consentId', 'index', 'erasedAt', 'timestamp', 'action', 'source', 'granted', 'previous',
  'policyVersion', 'language', 'page', 'gpc', 'sdkVersion', 'shownTexts', 'shownLang'] as const

/** Escapes the five characters that matter in HTML text and attributes. */
export const escapeHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const granted = (c: Record<string, boolean> | null | undefined) => (c ? Object.keys(c).filter((id) => c[id]).join(' ') || '(none)' : '')

function flat(s: StoredEvent): Record<(typeof COLUMNS)[number], string> {
  const e = s.event
  return {
    receivedAt: s.receivedAt, eventId: s.eventId, consentId: s.consentId, index: String(s.index), erasedAt: s.erasedAt ?? '',
    timestamp: e?.timestamp ?? '', action: e?.action ?? '', source: e?.source ?? '', granted: granted(e?.categories),
    previous: granted(e?.previous), policyVersion: e?.policyVersion ?? '', language: e?.language ?? '', page: e?.page ?? '',
    gpc: e ? String(e.gpc) : '', sdkVersion: e?.sdkVersion ?? '', shownTexts: e?.shown?.texts ?? '', shownLang: e?.shown?.lang ?? '',
  }
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a visitor-supplied formula. */
const csvCell = (v: string) => `"${(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"`

function page(events: StoredEvent[], counts: { events: number; conflicts: number; visitors: number }): string {
  const cells = (row: readonly string[], tag: string) => row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Consent log</title>
<style>${STYLE}</style></head><body><h1>Consent log</h1>
<p>${counts.events} event(s) from ${counts.visitors} visitor(s), ${counts.conflicts} conflicting resend(s); newest first${counts.events > events.length ? `, the latest ${events.length} shown` : ''}.
Export: <code>/admin/export?format=ndjson|csv&amp;from=…&amp;to=…&amp;consentId=…</code></p>
<table><thead><tr>${cells(COLUMNS, 'th')}</tr></thead><tbody>
${events.map((e) => `<tr>${cells(Object.values(flat(e)), 'td')}</tr>`).join('\n')}
</tbody></table></body></html>`
}

/** A problem with the operator's query: the answer is 400 `{ error, field }`. */
export interface QueryProblem {
  error: string
  field: string
}

function exportQuery(params: URLSearchParams): { format: 'ndjson' | 'csv'; from?: string; to?: string; consentId?: string } | QueryProblem {
  const format = params.get('format') ?? 'ndjson'
  if (format !== 'ndjson' && format !== 'csv') return { error: 'format must be ndjson or csv', field: 'format' }
  const range: Record<string, string | undefined> = {}
  for (const field of ['from', 'to'] as const) {
    const v = params.get(field)
    if (v === null) continue
    if (Number.isNaN(Date.parse(v))) return { error: `${field} must be a date like 2026-11-01 or an ISO time`, field }
    range[field] = new Date(v).toISOString()
  }
  const consentId = params.get('consentId') ?? undefined
  if (consentId !== undefined && !isUuid4(consentId)) return { error: 'consentId must be a lowercase UUIDv4', field: 'consentId' }
  return { format, ...range, consentId }
}

/** Streams every matching event, page by page, so an export of millions does not sit in memory. */
async function streamExport(res: ServerResponse, store: Store, q: { format: 'ndjson' | 'csv'; from?: string; to?: string; consentId?: string }) {
  res.writeHead(200, {
    'Content-Type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    'Content-Disposition': `attachment; filename="consent-log.${q.format}"`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
  })
  if (q.format === 'csv') res.write(COLUMNS.join(',') + '\r\n')
  let after: number | null = 0
  while (after !== null) {
    const { events, next }: { events: StoredEvent[]; next: number | null } = await store.list({ ...q, after, limit: EXPORT_PAGE })
    for (const e of events) {
      res.write(q.format === 'csv' ? Object.values(flat(e)).map(csvCell).join(',') + '\r\n' : JSON.stringify(e) + '\n')
    }
    after = next
  }
  res.end()
}

/** Answers JSON; the handler's own helper, passed in so admin and API answer alike. */
export type SendJson = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void

/**
 * Serves `GET /admin`, `GET /admin/export`, `POST /admin/erase/:consentId` for a request already authenticated.
 * @returns `false` when the path is none of these
 */
export async function serveAdmin(method: string, url: URL, res: ServerResponse, store: Store, sendJson: SendJson, now: () => Date): Promise<boolean> {
  const erase = /^\/admin\/erase\/([^/]+)$/.exec(url.pathname)
  if (url.pathname === '/admin' && (method === 'GET' || method === 'HEAD')) {
    const [events, counts] = await Promise.all([store.latest(ADMIN_ROWS), store.counts()])
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...PAGE_HEADERS })
    res.end(page(events, counts))
  } else if (url.pathname === '/admin/export' && method === 'GET') {
    const q = exportQuery(url.searchParams)
    if ('error' in q) sendJson(res, 400, q)
    else await streamExport(res, store, q)
  } else if (erase && method === 'POST') {
    if (!isUuid4(erase[1])) sendJson(res, 400, { error: 'the consent id must be a lowercase UUIDv4', field: 'consentId' })
    else sendJson(res, 200, { consentId: erase[1], erased: await store.erase(erase[1], now().toISOString()) })
  } else if (url.pathname === '/admin' || url.pathname === '/admin/export' || erase) {
    sendJson(res, 405, { error: erase ? 'use POST' : 'use GET', field: null }, { Allow: erase ? 'POST' : 'GET' })
  } else {
    return false
  }
  return true
}
