// SQLite through better-sqlite3: the embedded default. One writer at a time, so transactions queue in-process.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './sql.js'
import type { Query, Row, Sql } from './sql.js'

const defer = globalThis.setImmediate
/** A commit this recent means the collector is under load: batch the next transactions. */
const BUSY_MS = 10


/**
 * Opens (creating it and its folder) a SQLite database in WAL mode with `synchronous = FULL`, migrated.
 * @param file a path, or `:memory:`
 */
export function openSqlite(file: string): Sql {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  // FULL: the WAL is fsynced at every commit, so an event answered 2xx survives a power cut, not only a crash.
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL)')
  const MIGRATIONS = migrations('INTEGER PRIMARY KEY')
  db.transaction(() => {
    const done = (db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n
    if (!done && db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'consent_events'").get()) {
      throw new Error(`${file} holds a consent_events table the collector did not create (the old demo log server's?): export what you need from it and give the collector another file`)
    }
    for (let v = done; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v])
      db.prepare('INSERT INTO schema_migrations (version) VALUES (?)').run(v + 1)
    }
  }).immediate()

  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let s = statements.get(sql)
    if (!s) statements.set(sql, s = db.prepare(sql.replaceAll('{FOR_UPDATE}', '')))
    return s
  }
  const query: Query = {
    all: async (sql, params = []) => prepare(sql).all(...params) as Row[],
    run: async (sql, params = []) => prepare(sql).run(...params).changes,
    lockCheckpoints: async () => {},
  }
  // Group commit when busy: transactions that arrive while others are being written share the next COMMIT, so one
  // fsync acknowledges many events. Each runs in its own SAVEPOINT, so one that throws rolls back alone; none resolves
  // before the COMMIT that makes it durable. better-sqlite3 is synchronous but `work` awaits: the queue also keeps
  // other requests' statements out of an open transaction.
  type Pending = { work: (q: Query) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }
  let pending: Pending[] = []
  let writing: Promise<void> | null = null
  let lastCommit = -Infinity
  // Captured now: a test faking timers later must not stall the log's writes.
  const nextTurn = () => new Promise<void>((resolve) => defer(resolve))
  const writeBatches = async () => {
    // Waiting a turn of the event loop lets requests already read join the batch, but costs an idle collector latency
    // (and lets the caller's timers run before its event is stored): wait only when commits follow each other, as
    // PostgreSQL's commit_delay waits only with commit_siblings active.
    const busy = () => performance.now() - lastCommit < BUSY_MS
    for (busy() && await nextTurn(); pending.length; busy() && await nextTurn()) {
      const batch = pending
      pending = []
      const outcomes: Array<[Pending, boolean, unknown]> = []
      db.exec('BEGIN IMMEDIATE')
      for (const item of batch) {
        db.exec('SAVEPOINT work')
        try {
          outcomes.push([item, true, await item.work(query)])
          db.exec('RELEASE work')
        } catch (error) {
          db.exec('ROLLBACK TO work')
          db.exec('RELEASE work')
          outcomes.push([item, false, error])
        }
      }
      try {
        db.exec('COMMIT')
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK')
        batch.forEach((item) => item.reject(error))
        continue
      }
      lastCommit = performance.now()
      for (const [item, ok, value] of outcomes) (ok ? item.resolve : item.reject)(value)
    }
    writing = null
  }
  const transaction = <T>(work: (q: Query) => Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
    pending.push({ work, resolve: resolve as (v: unknown) => void, reject })
    writing ??= writeBatches()
  })
  return {
    engine: 'sqlite',
    ...query,
    transaction,
    isUniqueViolation: (error) => (error as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE',
    close: async () => {
      await writing
      db.close()
    },
  }
}
