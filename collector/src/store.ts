// Consent events behind one small interface, on SQLite or PostgreSQL: idempotent inserts that extend the visitor's
// hash chain, histories in receive order, erasure and pruning that keep chains verifiable, checkpoints over heads.
import { canonicalJson, checkpointRoot, GENESIS, linkHash, recordDigest } from './chain.js'
import type { HeadEntry } from './chain.js'
import type { Query, Row, Sql } from './sql.js'
import { openPostgres } from './sql-postgres.js'
import { openSqlite } from './sql-sqlite.js'
import type { ConsentEvent } from './validate.js'

/** What an insert did: stored it, saw the same body again, or refused a different body under a known eventId. */
export type InsertResult = 'created' | 'duplicate' | 'conflict'

/** A stored event with the server's receive time; `event` is `null` once erased or pruned to a tombstone. */
export interface StoredEvent {
  eventId: string
  consentId: string
  /** Position in the visitor's chain, from 1, in receive order. */
  index: number
  receivedAt: string
  erasedAt: string | null
  event: ConsentEvent | null
}

/** Filters of an export or the admin list: receive time in [from, to), one visitor, paging after a position. */
export interface ListQuery {
  from?: string
  to?: string
  consentId?: string
  /** Only rows stored after this cursor (from a previous page). */
  after?: number
  limit: number
}

/** One link as `verify` walks it. */
export interface ChainLink {
  consentId: string
  index: number
  body: string | null
  receivedAt: string
  digest: string
  prevHash: string
  hash: string
}

/** A visitor's chain head: its length and last hash, and where pruning left its start. */
export interface ChainHead {
  consentId: string
  length: number
  head: string
  baseLength: number
  baseHash: string
}

/** A checkpoint: the heads that moved since the previous one, chained by root. */
export interface Checkpoint {
  id: number
  at: string
  prevRoot: string
  root: string
  heads: HeadEntry[]
}

/** The storage every collector instance talks to. */
export interface Store {
  readonly engine: 'sqlite' | 'postgres'
  /** Stores `event` once, received at `receivedAt`; a different body under a known eventId goes to the conflicts. */
  insert(event: ConsentEvent, receivedAt: string): Promise<InsertResult>
  /** One visitor's events in receive order. */
  history(consentId: string): Promise<StoredEvent[]>
  /** The last `limit` events stored, newest first (the admin page). */
  latest(limit: number): Promise<StoredEvent[]>
  /** Events in storage order with a cursor for the next page. */
  list(query: ListQuery): Promise<{ events: StoredEvent[]; next: number | null }>
  counts(): Promise<{ events: number; conflicts: number; visitors: number }>
  /** Replaces a visitor's events by tombstones (digest and links kept). @returns events erased */
  erase(consentId: string, at: string): Promise<number>
  /** Deletes events received before `before`, moving each chain's verified start past them. @returns events deleted */
  prune(before: string): Promise<number>
  /** Records the heads that moved since the last checkpoint; `null` when none did. */
  checkpoint(at: string): Promise<Checkpoint | null>
  heads(): Promise<ChainHead[]>
  checkpoints(): Promise<Checkpoint[]>
  /** Links in (consentId, index) order after the given position: `verify` pages through every chain with it. */
  links(after: [string, number], limit: number): Promise<ChainLink[]>
  /** Throws when the database does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
  /** The engine connection, for operators' tools and tests that tamper on purpose. */
  readonly sql: Sql
}

const n = (v: unknown) => Number(v)
const EVENT_COLUMNS = 'seq, event_id, consent_id, idx, received_at, erased_at, body'
const toStored = (r: Row): StoredEvent => ({
  eventId: String(r.event_id), consentId: String(r.consent_id), index: n(r.idx), receivedAt: String(r.received_at),
  erasedAt: r.erased_at === null ? null : String(r.erased_at), event: r.body === null ? null : JSON.parse(String(r.body)),
})
const toHead = (r: Row): ChainHead => ({
  consentId: String(r.consent_id), length: n(r.length), head: String(r.head), baseLength: n(r.base_length), baseHash: String(r.base_hash),
})

async function insertOnce(q: Query, event: ConsentEvent, body: string, receivedAt: string, sentAt: string | null): Promise<InsertResult> {
  // Create-or-lock the visitor's chain head in one statement: the row lock serializes one visitor's inserts across
  // instances, so links never fork. (A no-op DO UPDATE is what takes the lock and returns the row on both engines.)
  const [head] = await q.all(`INSERT INTO chain_heads (consent_id, length, head, base_length, base_hash, checkpointed)
    VALUES (?, 0, ?, 0, ?, 0) ON CONFLICT (consent_id) DO UPDATE SET length = chain_heads.length RETURNING length, head`,
  [event.consentId, GENESIS, GENESIS])
  const [known] = await q.all('SELECT body, erased_at FROM consent_events WHERE event_id = ?', [event.eventId])
  if (known) {
    // An erased event sent again (an old outbox) is answered as stored: it was, and erasure must not bring it back.
    if (known.erased_at !== null || known.body === body) return 'duplicate'
    await q.run('INSERT INTO consent_conflicts (event_id, received_at, body, sent_at) VALUES (?, ?, ?, ?)', [event.eventId, receivedAt, body, sentAt])
    return 'conflict'
  }
  const index = n(head.length) + 1
  const digest = recordDigest(body, receivedAt)
  const hash = linkHash(String(head.head), digest)
  await q.run(`INSERT INTO consent_events (event_id, consent_id, idx, received_at, action, body, digest, prev_hash, hash, sent_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [event.eventId, event.consentId, index, receivedAt, event.action, body, digest, head.head, hash, sentAt])
  await q.run('UPDATE chain_heads SET length = ?, head = ? WHERE consent_id = ?', [index, hash, event.consentId])
  return 'created'
}

async function pruneChain(sql: Sql, consentId: string, before: string): Promise<number> {
  return sql.transaction(async (q) => {
    await q.all('SELECT length FROM chain_heads WHERE consent_id = ?{FOR_UPDATE}', [consentId])
    const [last] = await q.all(`SELECT idx, hash FROM consent_events WHERE consent_id = ? AND received_at < ?
      ORDER BY idx DESC LIMIT 1`, [consentId, before])
    if (!last) return 0
    // Receive order is chain order, so what is pruned is a prefix: the chain now starts at the last pruned link.
    await q.run('UPDATE chain_heads SET base_length = ?, base_hash = ? WHERE consent_id = ?', [last.idx, last.hash, consentId])
    await q.run('DELETE FROM consent_conflicts WHERE event_id IN (SELECT event_id FROM consent_events WHERE consent_id = ? AND idx <= ?)', [consentId, last.idx])
    return q.run('DELETE FROM consent_events WHERE consent_id = ? AND idx <= ?', [consentId, last.idx])
  })
}

/**
 * Wraps a migrated engine connection in the store.
 * @param sql from `openSqlite` or `openPostgres`
 */
export function createStore(sql: Sql): Store {
  const insert = async (event: ConsentEvent, receivedAt: string): Promise<InsertResult> => {
    // The body is the decision: each attempt's sentAt differs and is kept beside it, so a retry is a duplicate.
    const { sentAt = null, ...decision } = event
    const body = canonicalJson(decision)
    try {
      return await sql.transaction((q) => insertOnce(q, event, body, receivedAt, sentAt))
    } catch (error) {
      // The same eventId under another consentId raced us past the check: the retry sees it and answers for it.
      if (!sql.isUniqueViolation(error)) throw error
      return sql.transaction((q) => insertOnce(q, event, body, receivedAt, sentAt))
    }
  }

  const list = async ({ from, to, consentId, after = 0, limit }: ListQuery) => {
    const where = ['seq > ?']
    const params: unknown[] = [after]
    if (from) where.push('received_at >= ?'), params.push(from)
    if (to) where.push('received_at < ?'), params.push(to)
    if (consentId) where.push('consent_id = ?'), params.push(consentId)
    const rows = await sql.all(`SELECT ${EVENT_COLUMNS} FROM consent_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, [...params, limit])
    return { events: rows.map(toStored), next: rows.length === limit ? n(rows.at(-1)!.seq) : null }
  }

  const prune = async (before: string) => {
    let deleted = 0
    for (;;) {
      const chains = await sql.all('SELECT DISTINCT consent_id FROM consent_events WHERE received_at < ? LIMIT 500', [before])
      if (!chains.length) return deleted
      for (const { consent_id } of chains) deleted += await pruneChain(sql, String(consent_id), before)
    }
  }

  const checkpoint = (at: string) => sql.transaction(async (q): Promise<Checkpoint | null> => {
    await q.lockCheckpoints()
    const moved = await q.all(`SELECT consent_id, length, head FROM chain_heads WHERE length > checkpointed
      ORDER BY consent_id{FOR_UPDATE}`)
    if (!moved.length) return null
    const heads = moved.map((r): HeadEntry => [String(r.consent_id), n(r.length), String(r.head)])
    const [last] = await q.all('SELECT root FROM checkpoints ORDER BY id DESC LIMIT 1')
    const prevRoot = last ? String(last.root) : GENESIS
    const root = checkpointRoot(prevRoot, at, heads)
    await q.run('INSERT INTO checkpoints (at, prev_root, root, heads) VALUES (?, ?, ?, ?)', [at, prevRoot, root, JSON.stringify(heads)])
    for (const [consentId, length] of heads) await q.run('UPDATE chain_heads SET checkpointed = ? WHERE consent_id = ?', [length, consentId])
    const [{ id }] = await q.all('SELECT MAX(id) AS id FROM checkpoints')
    return { id: n(id), at, prevRoot, root, heads }
  })

  return {
    engine: sql.engine,
    sql,
    insert,
    history: async (consentId) =>
      (await sql.all(`SELECT ${EVENT_COLUMNS} FROM consent_events WHERE consent_id = ? ORDER BY idx`, [consentId])).map(toStored),
    latest: async (limit) => (await sql.all(`SELECT ${EVENT_COLUMNS} FROM consent_events ORDER BY seq DESC LIMIT ?`, [limit])).map(toStored),
    list,
    counts: async () => {
      const [e] = await sql.all('SELECT COUNT(*) AS n FROM consent_events')
      const [c] = await sql.all('SELECT COUNT(*) AS n FROM consent_conflicts')
      const [v] = await sql.all('SELECT COUNT(*) AS n FROM chain_heads')
      return { events: n(e.n), conflicts: n(c.n), visitors: n(v.n) }
    },
    erase: (consentId, at) => sql.transaction(async (q) => {
      await q.run('DELETE FROM consent_conflicts WHERE event_id IN (SELECT event_id FROM consent_events WHERE consent_id = ?)', [consentId])
      return q.run('UPDATE consent_events SET body = NULL, action = NULL, erased_at = ? WHERE consent_id = ? AND erased_at IS NULL', [at, consentId])
    }),
    prune,
    checkpoint,
    heads: async () => (await sql.all('SELECT * FROM chain_heads ORDER BY consent_id')).map(toHead),
    checkpoints: async () => (await sql.all('SELECT * FROM checkpoints ORDER BY id')).map((r) => ({
      id: n(r.id), at: String(r.at), prevRoot: String(r.prev_root), root: String(r.root), heads: JSON.parse(String(r.heads)),
    })),
    links: async ([consentId, index], limit) => (await sql.all(`SELECT consent_id, idx, body, received_at, digest, prev_hash, hash
      FROM consent_events WHERE consent_id > ? OR (consent_id = ? AND idx > ?) ORDER BY consent_id, idx LIMIT ?`,
    [consentId, consentId, index, limit])).map((r) => ({
      consentId: String(r.consent_id), index: n(r.idx), body: r.body === null ? null : String(r.body), receivedAt: String(r.received_at),
      digest: String(r.digest), prevHash: String(r.prev_hash), hash: String(r.hash),
    })),
    ping: async () => {
      await sql.all('SELECT 1 AS ok')
    },
    close: () => sql.close(),
  }
}

/**
 * Opens the store a `--db` value names: a `postgres://` / `postgresql://` URL, else a SQLite file path.
 * @param db e.g. `./consent.db` or `postgres://collector@db.internal/consent`
 * @example
 * const store = await openStore(process.env.DATABASE_URL ?? './consent.db')
 */
export async function openStore(db: string): Promise<Store> {
  const sql = /^postgres(ql)?:\/\//.test(db) ? await openPostgres(db) : openSqlite(db)
  return createStore(sql)
}
