// What the collector's test files share: both engines behind one list, a valid event, and a server on a free port.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { openStore } from '../collector/src/store'
import type { Store } from '../collector/src/store'

/** A database of one engine, fresh for the caller: its `--db` value and how to drop it. */
export interface Database {
  db: string
  drop(): Promise<void>
}

/** Both engines by name: each call makes a new, empty database. */
export const ENGINES: Array<[engine: 'sqlite' | 'postgres', fresh: () => Promise<Database>]> = [
  ['sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collector-test-'))
    return { db: join(dir, 'nested', 'consent.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }],
  ['postgres', async () => {
    // A schema per caller, not a database: CREATE DATABASE costs about a second, a schema almost nothing.
    const admin = inject('postgresUrl')
    const name = `t_${randomUUID().replaceAll('-', '')}`
    const run = async (sql: string) => {
      const client = new pg.Client(admin)
      await client.connect()
      await client.query(sql)
      await client.end()
    }
    await run(`CREATE SCHEMA ${name}`)
    return { db: `${admin}?options=${encodeURIComponent(`-c search_path=${name}`)}`, drop: () => run(`DROP SCHEMA ${name} CASCADE`) }
  }],
]

/** Opens a fresh store of one engine; `dispose` closes and drops it. */
export async function freshStore(fresh: () => Promise<Database>): Promise<{ store: Store; db: string; dispose(): Promise<void> }> {
  const database = await fresh()
  const store = await openStore(database.db)
  return { store, db: database.db, dispose: async () => { await store.close(); await database.drop() } }
}

/** A valid consent event (DESIGN §7) dated now, with `over` applied. */
export const validEvent = (over: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  consentId: randomUUID(),
  timestamp: new Date().toISOString(),
  action: 'custom',
  source: 'preferences',
  categories: { necessary: true, analytics: true, marketing: false, partners: false },
  previous: { necessary: true, analytics: false, marketing: false, partners: false },
  policyVersion: '2024-05',
  language: 'fr',
  page: 'https://www.minopio.example/shop/shoes',
  gpc: false,
  sdkVersion: '1.0.0',
  shown: { texts: 'a'.repeat(64), lang: 'fr' },
  ...over,
})
