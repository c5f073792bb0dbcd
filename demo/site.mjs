// The Minopio shop itself: its pages under a strict CSP, the built SDK under /dist/, and the consent-log collector.
import { fileURLToPath } from 'node:url'
import { readBelow, send, TYPES } from './http.mjs'

const SITE = fileURLToPath(new URL('./site/', import.meta.url))
const DEMO = fileURLToPath(new URL('./', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
/** @type {Record<string, string>} */
const PAGES = { '/': '/index.html', '/privacy': '/privacy.html' }

/**
 * Strict CSP: scripts only from this origin and the tracker's (no inline script, no eval), styles only from files.
 * @param {string} tracker the third-party origin
 */
export function contentSecurityPolicy(tracker) {
  return [
    "default-src 'self'", `script-src 'self' ${tracker}`, "style-src 'self'", `img-src 'self' ${tracker}`,
    `frame-src ${tracker}`, `connect-src 'self' ${tracker}`, "object-src 'none'", "base-uri 'none'", "form-action 'self'",
  ].join('; ')
}

/**
 * The site's request handler.
 * @param {{ tracker: string, log: { handle(req: any, res: any): Promise<boolean> } | null }} options
 *   `tracker`: origin of the third-party server, written into the pages; `log`: the consent-log collector, if any
 */
export function createSite({ tracker, log }) {
  const csp = contentSecurityPolicy(tracker)
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (log && (await log.handle(req, res))) return
    if (!log && (path.startsWith('/api/consent') || path === '/admin')) {
      return send(res, 503, TYPES['.txt'], '[minopio-demo] no consent-log collector is mounted')
    }
    if (path.startsWith('/dist/')) {
      const file = await readBelow(DIST, path.slice('/dist'.length))
      return file ? send(res, 200, file.type, file.body) : send(res, 404, TYPES['.txt'], 'not built: run npm run build')
    }
    const file = path === '/config.js' ? await readBelow(DEMO, path) : await readBelow(SITE, PAGES[path] ?? path)
    if (!file) return send(res, 404, TYPES['.txt'], 'not found')
    if (file.type !== TYPES['.html']) return send(res, 200, file.type, file.body)
    // The pages name the tracker's origin, which is only known once it listens (port 0 in tests).
    send(res, 200, file.type, file.body.toString('utf8').replaceAll('{{TRACKER}}', tracker), {
      'Content-Security-Policy': csp, 'Referrer-Policy': 'strict-origin-when-cross-origin', 'X-Content-Type-Options': 'nosniff',
    })
  }
}
