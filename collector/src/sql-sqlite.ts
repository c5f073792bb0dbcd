// SQLite through better-sqlite3: the embedded default. One writer at a time, so transactions queue in-process.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './sql.js'
import type { Query, Row, Sql } from './sql.js'


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
  // better-sqlite3 is synchronous but `work` awaits: without a queue another request's statements would run inside
  // this transaction between two awaits.
  let queue: Promise<unknown> = Promise.resolve()
  const transaction = <T>(work: (q: Query) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = await work(query)
        db.exec('COMMIT')
        return result
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw error
      }
    })
    queue = run.catch(() => {})
    return run
  }
  return {
    engine: 'sqlite',
    ...query,
    transaction,
    isUniqueViolation: (error) => (error as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE',
    close: async () => {
      await queue
      db.close()
    },
  }
}
