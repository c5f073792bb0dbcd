// The small HTTP plumbing the demo servers (and the benchmark's) share: content types, safe file lookup, listening.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

/** Content types of the files the demo and the benchmark serve. */
/** @type {Record<string, string>} content types by file extension */
export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.gif': 'image/gif', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
}

/** A 1×1 transparent GIF: what a tracking pixel answers. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/**
 * Reads `path` below `root`, refusing anything that would climb out of it.
 * @param {string} root absolute folder
 * @param {string} path URL path, e.g. `/site.js`
 * @returns {Promise<{ body: Buffer, type: string } | null>} `null` when missing or outside `root`
 */
export async function readBelow(root, path) {
  const file = join(root, normalize(decodeURIComponent(path)))
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return null
  try {
    return { body: await readFile(file), type: TYPES[extname(file)] ?? 'application/octet-stream' }
  } catch {
    return null
  }
}

/**
 * Answers with a body and no caching (the demo serves fresh builds; the benchmark measures cold loads).
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} type
 * @param {string | Buffer} body
 * @param {Record<string, string>} [headers]
 */
export function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers })
  res.end(body)
}

/**
 * Starts an HTTP server on 127.0.0.1 (only there: the demo is not meant to be reachable from the network).
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => unknown} handler
 * @param {number} port 0 for a free port
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function listen(handler, port) {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error) => {
      console.error('[minopio-demo]', error)
      if (!res.headersSent) send(res, 500, TYPES['.txt'], 'internal error')
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(undefined))
  })
  return {
    origin: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
