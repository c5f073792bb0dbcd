// The demo (`npm run demo`): the Minopio shop on one port, its third-party tags on another, and the consent-log
// collector (@minopio/consent-collector) mounted on the shop's origin with a SQLite file under demo/.data/.
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCollector, openStore } from '@minopio/consent-collector'
import { listen } from './http.mjs'
import { createSite } from './site.mjs'
import { createTracker } from './tracker.mjs'

// A string, not a URL object: under happy-dom `URL` is not Node's. Not the old demo server's consent.sqlite: its
// table has another shape, and the collector refuses to migrate over it.
const DEFAULT_FILE = join(fileURLToPath(new URL('.', import.meta.url)), '.data', 'collector.sqlite')

/**
 * Starts the demo site and its third-party tracker on 127.0.0.1.
 * @param {{ port?: number, trackerPort?: number, dataFile?: string, adminToken?: string }} [options] ports (0 = any
 *   free port), the collector's SQLite file (default demo/.data/collector.sqlite) and its admin token (default: random)
 * @returns {Promise<{ url: string, trackerUrl: string, adminToken: string,
 *   trackerRequests: { method: string, path: string, at: number }[], close(): Promise<void> }>}
 *   `trackerRequests`: every request the tracker received, in order
 * @example
 * const demo = await startDemo({ port: 0, trackerPort: 0, dataFile: '/tmp/consent.sqlite' })
 * console.log(demo.url) // http://127.0.0.1:40123/
 */
export async function startDemo({ port = 8080, trackerPort = 8081, dataFile = DEFAULT_FILE, adminToken = randomBytes(12).toString('base64url') } = {}) {
  const tracker = createTracker()
  const trackerServer = await listen(tracker.handle, trackerPort)
  let store = null
  let site = null
  try {
    store = await openStore(dataFile)
    // The site's origin (and so CORS's) is known once it listens: the handler is set just after.
    /** @type {import('node:http').RequestListener | null} */
    let handler = null
    site = await listen((req, res) => handler?.(req, res), port)
    const sitePort = new URL(site.origin).port
    const log = createCollector({ store, adminToken, origins: [site.origin, `http://localhost:${sitePort}`] })
    handler = createSite({ tracker: trackerServer.origin, log })
  } catch (error) {
    await trackerServer.close()
    await site?.close()
    await store?.close()
    throw error
  }
  return {
    url: `${site.origin}/`,
    trackerUrl: `${trackerServer.origin}/`,
    adminToken,
    trackerRequests: tracker.requests,
    close: async () => {
      await Promise.all([site.close(), trackerServer.close()])
      await store.close()
    },
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const demo = await startDemo({
    port: Number(process.env.PORT ?? 8080), trackerPort: Number(process.env.TRACKER_PORT ?? 8081), adminToken: process.env.MINOPIO_DEMO_ADMIN_TOKEN,
  }).catch((error) => {
    if (error?.code !== 'EADDRINUSE') throw error
    console.error(`[minopio-demo] port ${error.port} is in use: choose others, e.g. PORT=8090 TRACKER_PORT=8091 npm run demo`)
    process.exit(1)
  })
  console.log(`Minopio demo:        ${demo.url}
  audit panel:        ${demo.url}?minopio-audit
  consent log:        ${demo.url}admin (any user name, password ${demo.adminToken}; set MINOPIO_DEMO_ADMIN_TOKEN to choose it)
  third-party tags:   ${demo.trackerUrl} (a second origin)
Ctrl+C to stop.`)
  const stop = () => demo.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
