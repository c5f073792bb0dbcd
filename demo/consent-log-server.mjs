// A compatibility shim, not a server: the demo mounts @minopio/consent-collector (see demo/server.mjs). Two test
// files still mount the log on their own server through this name — test/consent-log.test.ts and
// test/e2e/consent-log.e2e.test.ts — and read the SQLite file synchronously; delete this file once they use
// the collector directly.
import Database from 'better-sqlite3'
import { createCollector, createStore, openSqlite } from '@minopio/consent-collector'

/**
 * The collector over one SQLite file, answering any origin (the tests' pages live on other ports).
 * @param {{ file: string }} options
 * @returns {{ handle(req, res): Promise<boolean>, db: import('better-sqlite3').Database, close(): Promise<void> }}
 *   `db`: a read-only connection to the same file
 */
export function createConsentLog({ file }) {
  const store = createStore(openSqlite(file))
  const { handle } = createCollector({ store, origins: ['*'] })
  const db = new Database(file, { readonly: true })
  return { handle, db, close: () => (db.close(), store.close()) }
}
