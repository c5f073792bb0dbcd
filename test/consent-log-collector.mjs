// Test helper: the SDK's consent-log tests (test/consent-log.test.ts, test/e2e/consent-log.e2e.test.ts) mount the
// real collector on their own server and read what it stored through a second, read-only SQLite connection.
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import Database from 'better-sqlite3'
import { createCollector, createStore, openSqlite } from '@minopio/consent-collector'

/**
 * The collector over one SQLite file, answering any origin (the tests' pages live on other ports).
 * @param {{ file: string }} options
 * @returns {{ handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<boolean>, db: import('better-sqlite3').Database, close(): Promise<void> }}
 *   `db`: a read-only connection to the same file
 */
export function createConsentLog({ file }) {
  const store = createStore(openSqlite(file))
  const { handle } = createCollector({ store, origins: ['*'] })
  const db = new Database(file, { readonly: true })
  return { handle, db, close: () => (db.close(), store.close()) }
}

/**
 * The collector on its own server on 127.0.0.1, told how to fail through `faults`, recording every POST it gets.
 * `faults.mode`: `'up'`; `'fail'` (503); a status code; `'hold-json'` (fetches never answered, beacons pass);
 * `'slow'` (300 ms before storing). `faults.poison`: an action whose events get 500 whatever the mode. A request
 * with `X-Test: pass` (the test's own) skips the faults. `overlap`: most attempts of one event ever in the store at once.
 * @param {{ file: string }} options
 */
export async function startFaultyConsentLog({ file }) {
  const log = createConsentLog({ file })
  /** @type {{ mode: 'up' | 'fail' | 'hold-json' | 'slow' | number, poison: string | null }} */
  const faults = { mode: 'up', poison: null }
  /** @type {Array<{ id: string, type: string, site: string | undefined, action: string, body: string }>} */
  const posts = []
  let inFlight = new Map()
  let overlap = 0
  const server = createServer(async (raw, res) => {
    if (raw.method !== 'POST') return void log.handle(raw, res)
    const chunks = []
    for await (const chunk of raw) chunks.push(chunk)
    const body = Buffer.concat(chunks)
    const { eventId: id, action } = JSON.parse(body.toString())
    const type = String(raw.headers['content-type'])
    posts.push({ id, type, site: raw.headers['x-site']?.toString(), action, body: body.toString() })
    const { mode, poison } = faults
    if (raw.headers['x-test'] !== 'pass' && (mode === 'fail' || typeof mode === 'number' || action === poison)) {
      res.writeHead(typeof mode === 'number' ? mode : mode === 'fail' ? 503 : 500, { 'Access-Control-Allow-Origin': raw.headers.origin ?? '*' })
      return void res.end()
    }
    if (mode === 'hold-json' && type === 'application/json') return // never answered
    const now = (inFlight.get(id) ?? 0) + 1
    inFlight.set(id, now)
    overlap = Math.max(overlap, now)
    if (mode === 'slow') await new Promise((done) => setTimeout(done, 300))
    const req = /** @type {import('node:http').IncomingMessage} */ (/** @type {unknown} */ (Object.assign(Readable.from([body]), { headers: raw.headers, url: raw.url, method: raw.method })))
    await log.handle(req, res)
    inFlight.set(id, inFlight.get(id) - 1)
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    endpoint: `http://127.0.0.1:${port}/api/consent`,
    faults,
    posts,
    db: log.db,
    get overlap() {
      return overlap
    },
    /** Back to up, nothing recorded. */
    reset() {
      Object.assign(faults, { mode: 'up', poison: null })
      posts.length = 0
      inFlight = new Map()
      overlap = 0
    },
    async close() {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
      log.close()
    },
  }
}
