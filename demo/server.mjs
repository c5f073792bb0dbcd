// The demo (`npm run demo`): the Minopio shop on one port, its third-party tags on another, and the consent log.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listen } from './http.mjs'
import { createSite } from './site.mjs'
import { createTracker } from './tracker.mjs'

/** The consent-log server (demo/consent-log-server.mjs), or `null` while it does not exist yet. */
async function openConsentLog(file) {
  let mod
  try {
    mod = await import('./consent-log-server.mjs')
  } catch (error) {
    // Only a missing log module is tolerated; an error inside it (or a missing better-sqlite3) must surface.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('consent-log-server.mjs')) throw error
    console.warn('[minopio-demo] demo/consent-log-server.mjs is missing: /api/consent and /admin answer 503')
    return null
  }
  return await mod.createConsentLog(file ? { file } : {})
}

/**
 * Starts the demo site and its third-party tracker on 127.0.0.1.
 * @param {{ port?: number, trackerPort?: number, dataFile?: string }} [options] ports (0 = any free port) and the SQLite
 *   file of the consent log (default: the log server's, under demo/.data/)
 * @returns {Promise<{ url: string, trackerUrl: string, trackerRequests: { method: string, path: string, at: number }[],
 *   close(): Promise<void> }>} `trackerRequests`: every request the tracker received, in order
 * @example
 * const demo = await startDemo({ port: 0, trackerPort: 0, dataFile: '/tmp/consent.sqlite' })
 * console.log(demo.url) // http://127.0.0.1:40123/
 */
export async function startDemo({ port = 8080, trackerPort = 8081, dataFile } = {}) {
  const tracker = createTracker()
  const trackerServer = await listen(tracker.handle, trackerPort)
  let log = null
  let site = null
  try {
    log = await openConsentLog(dataFile)
    site = await listen(createSite({ tracker: trackerServer.origin, log }), port)
  } catch (error) {
    await trackerServer.close()
    await log?.close()
    throw error
  }
  return {
    url: `${site.origin}/`,
    trackerUrl: `${trackerServer.origin}/`,
    trackerRequests: tracker.requests,
    close: async () => {
      await Promise.all([site.close(), trackerServer.close()])
      await log?.close()
    },
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const demo = await startDemo({ port: Number(process.env.PORT ?? 8080), trackerPort: Number(process.env.TRACKER_PORT ?? 8081) }).catch((error) => {
    if (error?.code !== 'EADDRINUSE') throw error
    console.error(`[minopio-demo] port ${error.port} is in use: choose others, e.g. PORT=8090 TRACKER_PORT=8091 npm run demo`)
    process.exit(1)
  })
  console.log(`Minopio demo:        ${demo.url}
  audit panel:        ${demo.url}?minopio-audit
  consent log:        ${demo.url}admin
  third-party tags:   ${demo.trackerUrl} (a second origin)
Ctrl+C to stop.`)
  const stop = () => demo.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
