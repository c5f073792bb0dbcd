// The demo's "third parties": analytics, an ad pixel, a reviews widget and a video player, served from a second port
// so the browser treats them as another origin. Every request is recorded: a request here before consent is a leak.
import { fileURLToPath } from 'node:url'
import { PIXEL, readBelow, send, TYPES } from './http.mjs'

const ROOT = fileURLToPath(new URL('./tracker/', import.meta.url))

/**
 * The tracker's request handler and what it has seen.
 * @returns {{ handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void>,
 *   requests: { method: string, path: string, at: number }[] }}
 */
export function createTracker() {
  /** @type {{ method: string, path: string, at: number }[]} */
  const requests = []
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const handle = async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push({ method: req.method ?? 'GET', path, at: Date.now() })
    // Beacons and fetches from the site's pages are cross-origin.
    const cors = { 'Access-Control-Allow-Origin': req.headers.origin ?? '*' }
    if (req.method === 'OPTIONS') return send(res, 204, TYPES['.txt'], '', { ...cors, 'Access-Control-Allow-Headers': 'content-type' })
    if (path.endsWith('/collect')) {
      req.resume()
      return send(res, 204, TYPES['.txt'], '', cors)
    }
    if (path.endsWith('.gif')) return send(res, 200, TYPES['.gif'], PIXEL, cors)
    const file = await readBelow(ROOT, path)
    if (!file) return send(res, 404, TYPES['.txt'], 'not found', cors)
    send(res, 200, file.type, file.body, cors)
  }
  return { handle, requests }
}
