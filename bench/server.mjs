// The benchmark's two origins: the site (pages, SDK files, anchors' files) and a third-party tag server. Both add the
// same latency to every response and answer brotli when the browser asks for it, as a CDN would, so a difference in
// bytes and in request count shows in the timings. Every request is recorded (path + time).
import { fileURLToPath } from 'node:url'
import { brotliCompressSync } from 'node:zlib'
import { listen, readBelow, send, TYPES } from '../demo/http.mjs'

const DIR = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url))
const MOUNTS = {
  '/vendor/vanilla-cookieconsent/': DIR('../node_modules/vanilla-cookieconsent/dist/'),
  '/vendor/orejime/': DIR('../node_modules/orejime/dist/'),
}
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/

/**
 * Starts one latency-adding server.
 * @param {{ latencyMs: number, files: Record<string, string | Buffer> }} options in-memory files by exact path (pages,
 *   configs, tags, a snapshot of the SDK bundles); anything else is looked up under the mounts (the anchors' dist folders)
 * @returns {Promise<{ origin: string, requests: { path: string, at: number }[], close(): Promise<void> }>}
 */
export async function startBenchServer({ latencyMs, files }) {
  /** @type {{ path: string, at: number }[]} */
  const requests = []
  const brotli = new Map() // compressed once: compression time must not count as network time
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const handler = async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push({ path, at: Date.now() })
    await new Promise((done) => setTimeout(done, latencyMs))
    let file = null
    if (path in files) file = { body: Buffer.from(files[path]), type: TYPES[path.slice(path.lastIndexOf('.'))] ?? TYPES['.html'] }
    for (const [prefix, dir] of Object.entries(MOUNTS)) if (!file && path.startsWith(prefix)) file = await readBelow(dir, path.slice(prefix.length - 1))
    if (!file) return send(res, 404, TYPES['.txt'], 'not found')
    const cors = { 'Access-Control-Allow-Origin': '*', Vary: 'Accept-Encoding' }
    if (!COMPRESSIBLE.test(file.type) || !/\bbr\b/.test(req.headers['accept-encoding'] ?? '')) return send(res, 200, file.type, file.body, cors)
    const key = `${path}:${file.body.length}`
    if (!brotli.has(key)) brotli.set(key, brotliCompressSync(file.body))
    send(res, 200, file.type, brotli.get(key), { ...cors, 'Content-Encoding': 'br' })
  }
  const server = await listen(handler, 0)
  return { origin: server.origin, requests, close: server.close }
}
