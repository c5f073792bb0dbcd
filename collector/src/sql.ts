// The little each database engine must offer the store: queries, a transaction, a lock, a probe. One copy of every
// algorithm (insert, erase, prune, checkpoint) then runs on SQLite and PostgreSQL alike.

/** A row as the engines return it: column name → value (PostgreSQL gives BIGINT as a string: use Number()). */
export type Row = Record<string, unknown>

/** Queries inside or outside a transaction. SQL uses `?` placeholders and `{FOR_UPDATE}` where a row lock belongs. */
export interface Query {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>
  /** @returns the number of rows changed */
  run(sql: string, params?: readonly unknown[]): Promise<number>
  /** Serializes checkpoint writers (PostgreSQL: a table lock; SQLite: its one writer already does). */
  lockCheckpoints(): Promise<void>
}

/** A connection to one database, migrated on open. */
export interface Sql extends Query {
  readonly engine: 'sqlite' | 'postgres'
  /** Runs `work` in one transaction; rolls back when it throws. */
  transaction<T>(work: (q: Query) => Promise<T>): Promise<T>
  /** `true` when the error is a unique-constraint violation (a concurrent insert of the same eventId). */
  isUniqueViolation(error: unknown): boolean
  close(): Promise<void>
}

// Each entry runs once, in order; schema_migrations remembers how many ran. Append, never edit a shipped entry.
// Times are ISO 8601 text on both engines: they sort and hash the same everywhere.
const MIGRATIONS = [
  `CREATE TABLE consent_events (
    seq {ID},
    event_id TEXT NOT NULL UNIQUE,
    consent_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    action TEXT,
    body TEXT,
    digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    erased_at TEXT,
    UNIQUE (consent_id, idx)
  );
  CREATE INDEX consent_events_by_received ON consent_events (received_at);
  CREATE TABLE chain_heads (
    consent_id TEXT PRIMARY KEY,
    length INTEGER NOT NULL,
    head TEXT NOT NULL,
    base_length INTEGER NOT NULL,
    base_hash TEXT NOT NULL,
    checkpointed INTEGER NOT NULL
  );
  CREATE INDEX chain_heads_to_checkpoint ON chain_heads (checkpointed, length);
  CREATE TABLE consent_conflicts (
    id {ID},
    event_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX consent_conflicts_by_event ON consent_conflicts (event_id);
  CREATE TABLE checkpoints (
    id {ID},
    at TEXT NOT NULL,
    prev_root TEXT NOT NULL,
    root TEXT NOT NULL,
    heads TEXT NOT NULL
  );`,
  // The visitor's clock at each attempt (the SDK's sentAt): beside the event, outside its body and hash, so a retry
  // is the same event; received_at stays the authoritative time.
  `ALTER TABLE consent_events ADD COLUMN sent_at TEXT;
  ALTER TABLE consent_conflicts ADD COLUMN sent_at TEXT;`,
]

/**
 * The schema migrations, written once for both engines.
 * @param idColumn the engine's auto-increment primary key type
 */
export const migrations = (idColumn: string): string[] => MIGRATIONS.map((m) => m.replaceAll('{ID}', idColumn))
