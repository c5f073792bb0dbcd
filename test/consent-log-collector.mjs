// Test helper: the SDK's consent-log tests (test/consent-log.test.ts, test/e2e/consent-log.e2e.test.ts) mount the
// real collector on their own server and read what it stored through a second, read-only SQLite connection.
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
