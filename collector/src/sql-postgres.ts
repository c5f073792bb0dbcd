// PostgreSQL through `pg`: any number of stateless collector instances share one primary.
import pg from 'pg'
import { migrations } from './sql.js'
import type { Query, Row, Sql } from './sql.js'

// Migrations run under an advisory lock so instances starting together migrate once.
const MIGRATIONS = migrations('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY')
const MIGRATION_LOCK = 0x6d696e6f // "mino"

/** `?` placeholders → `$1, $2…`; `{FOR_UPDATE}` → a row lock. */
function dialect(sql: string): string {
  let n = 0
  return sql.replaceAll('{FOR_UPDATE}', ' FOR UPDATE').replace(/\?/g, () => `$${++n}`)
}

function queryOn(client: pg.Pool | pg.PoolClient): Query {
  return {
    all: async (sql, params = []) => (await client.query(dialect(sql), params as unknown[])).rows as Row[],
    run: async (sql, params = []) => (await client.query(dialect(sql), params as unknown[])).rowCount ?? 0,
    lockCheckpoints: async () => {
      await client.query('LOCK TABLE checkpoints IN SHARE ROW EXCLUSIVE MODE')
    },
  }
}

/**
 * Connects a pool to PostgreSQL and migrates the schema.
 * @param url `postgres://user:password@host:5432/database`
 * @param poolSize connections this instance keeps (the server's max_connections bounds all instances together)
 */
export async function openPostgres(url: string, poolSize = 20): Promise<Sql> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 })
  // An idle client losing its server must not crash the process: the next query gets a fresh connection.
  pool.on('error', () => {})
  const client = await pool.connect()
  const applied = async () => (await client.query("SELECT to_regclass('schema_migrations') AS t")).rows[0].t
    ? Number((await client.query('SELECT COUNT(*) AS n FROM schema_migrations')).rows[0].n) : 0
  let failure: unknown = null
  try {
    // Up to date: write nothing, so an export-only instance may point at a read replica.
    if (await applied() < MIGRATIONS.length) {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL)')
      for (let v = await applied(); v < MIGRATIONS.length; v++) {
        await client.query('BEGIN')
        await client.query(MIGRATIONS[v])
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1])
        await client.query('COMMIT')
      }
    }
  } catch (error) {
    failure = error
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {})
    client.release()
  }
  if (failure) {
    // A database refusing the schema must not leave a pool holding the process open.
    await pool.end()
    throw failure
  }

  const transaction = async <T>(work: (q: Query) => Promise<T>): Promise<T> => {
    const conn = await pool.connect()
    try {
      await conn.query('BEGIN')
      const result = await work(queryOn(conn))
      await conn.query('COMMIT')
      return result
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      conn.release()
    }
  }
  return {
    engine: 'postgres',
    ...queryOn(pool),
    transaction,
    isUniqueViolation: (error) => (error as { code?: string })?.code === '23505',
    close: () => pool.end(),
  }
}
