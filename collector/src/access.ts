// Who may talk to the collector: the Host allow-list (against DNS rebinding), CORS for the site's own origins only,
// and the operator's bearer token.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * `true` when the request's Host header is allowed. An empty list allows any host (the demo, a private socket);
 * a deployment names its public host names so a rebinding DNS name pointing at it gets 421.
 */
export function hostAllowed(req: IncomingMessage, hosts: readonly string[]): boolean {
  if (!hosts.length) return true
  const host = String(req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '')
  return hosts.includes(host)
}

/**
 * Sets the CORS headers for a request from one of `origins` and says whether the origin is allowed.
 * `'*'` in `origins` allows any origin without credentials (a public demo); otherwise the origin is echoed, with
 * `Access-Control-Allow-Credentials` only when `credentials` is set. A request without Origin (same origin, curl,
 * a beacon from the same site) is allowed.
 * @returns `false` for a cross-origin request from an origin not configured
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, origins: readonly string[], credentials: boolean): boolean {
  const origin = req.headers.origin
  res.setHeader('Vary', 'Origin')
  if (origin === undefined) return true
  if (origins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true')
  } else if (origins.includes('*')) {
    res.setHeader('Access-Control-Allow-Origin', '*')
  } else {
    return false
  }
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After')
  return true
}

/** The preflight's allowed headers: the names the browser asks for (sites may configure any endpointHeaders). */
export const allowedRequestHeaders = (req: IncomingMessage): string => {
  const asked = String(req.headers['access-control-request-headers'] ?? '')
  return /^[\w-]+(\s*,\s*[\w-]+)*$/.test(asked) ? asked : 'Content-Type'
}

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * `true` when the request carries the admin token: `Authorization: Bearer <token>`, or Basic auth with the token as
 * password (so a browser's login prompt reaches the admin page). Compared in constant time.
 * @param token the configured `--admin-token`; `undefined` turns the operator endpoints off
 */
export function hasAdminToken(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return false
  const header = String(req.headers.authorization ?? '')
  let given: string | null = null
  if (/^bearer /i.test(header)) given = header.slice(7).trim()
  else if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
    given = decoded.slice(decoded.indexOf(':') + 1)
  }
  return given !== null && timingSafeEqual(digest(given), digest(token))
}
