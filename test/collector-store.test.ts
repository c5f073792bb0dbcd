// @vitest-environment node
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrations } from '../collector/src/sql'
import { openStore } from '../collector/src/store'
import type { Store } from '../collector/src/store'
import type { ConsentEvent } from '../collector/src/validate'
import { ENGINES, freshStore, validEvent } from './collector-harness'

const event = (over: Record<string, unknown> = {}) => validEvent(over) as unknown as ConsentEvent
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString()

describe.each(ENGINES)('the store on %s', (_engine, fresh) => {
  let store: Store
  let db: string
  let dispose: () => Promise<void>
  beforeEach(async () => {
    ({ store, db, dispose } = await freshStore(fresh))
  })
  afterEach(async () => {
    await dispose()
  })

  it('stores an event once: created, then duplicate for the same body in another key order', async () => {
    const e = event()
    expect(await store.insert(e, at(0))).toBe('created')
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as ConsentEvent
    expect(await store.insert(reordered, at(1))).toBe('duplicate')
    expect(await store.counts()).toEqual({ events: 1, conflicts: 0, visitors: 1 })
    expect((await store.history(e.consentId))[0]).toMatchObject({ event: e, receivedAt: at(0), index: 1, erasedAt: null })
  })

  it('stores each attempt\'s sentAt beside the event: a retry with another sentAt is a duplicate, and the body has none', async () => {
    const e = event()
    expect(await store.insert({ ...e, sentAt: at(0) }, at(1))).toBe('created')
    expect(await store.insert({ ...e, sentAt: at(5) }, at(6))).toBe('duplicate')
    const [row] = await store.sql.all('SELECT sent_at, received_at, body FROM consent_events')
    expect(row).toMatchObject({ sent_at: at(0), received_at: at(1) })
    expect(JSON.parse(String(row.body))).toEqual(e)
    const forged = { ...e, action: 'reject_all', categories: { necessary: true, analytics: false, marketing: false, partners: false }, sentAt: at(7) } as ConsentEvent
    expect(await store.insert(forged, at(8))).toBe('conflict')
    const [kept] = await store.sql.all('SELECT sent_at, received_at FROM consent_conflicts')
    expect(kept).toEqual({ sent_at: at(7), received_at: at(8) })
  })

  it('refuses a different body under a known eventId and keeps the attempt in the conflicts table', async () => {
    const e = event({ action: 'reject_all', categories: { necessary: true, analytics: false, marketing: false, partners: false } })
    await store.insert(e, at(0))
    const forged = { ...e, action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true, partners: true } } as ConsentEvent
    expect(await store.insert(forged, at(1))).toBe('conflict')
    expect((await store.history(e.consentId)).map((s) => s.event?.action)).toEqual(['reject_all'])
    const [kept] = await store.sql.all('SELECT event_id, body FROM consent_conflicts')
    expect(kept.event_id).toBe(e.eventId)
    expect(JSON.parse(String(kept.body)).action).toBe('accept_all')
  })

  it('orders a history by the server\'s receive time, not by the timestamp the client claims', async () => {
    const consentId = crypto.randomUUID()
    const late = event({ consentId, action: 'withdraw', timestamp: '2026-12-01T13:00:00.000Z' })
    const early = event({ consentId, action: 'accept_all', timestamp: '2026-12-01T09:00:00.000Z' })
    await store.insert(late, at(0))
    await store.insert(early, at(1))
    expect((await store.history(consentId)).map((s) => [s.event?.action, s.index])).toEqual([['withdraw', 1], ['accept_all', 2]])
  })

  it('keeps one unforked chain when one visitor\'s events arrive all at once, and stores a raced eventId once', async () => {
    const consentId = crypto.randomUUID()
    const events = Array.from({ length: 30 }, () => event({ consentId }))
    const twice = event()
    const results = await Promise.all([...events.map((e) => store.insert(e, new Date().toISOString())),
      store.insert(twice, at(0)), store.insert(twice, at(0)), store.insert({ ...twice, consentId: crypto.randomUUID() }, at(0))])
    expect(results.slice(0, 30).every((r) => r === 'created')).toBe(true)
    expect(results.slice(30).sort()).toEqual(['conflict', 'created', 'duplicate'])
    expect((await store.history(consentId)).map((s) => s.index)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect((await store.counts()).events).toBe(31)
  })

  it('erases a visitor: events become tombstones that keep their place, the others stay', async () => {
    const consentId = crypto.randomUUID()
    await store.insert(event({ consentId }), at(0))
    await store.insert(event({ consentId }), at(1))
    const other = event()
    await store.insert(other, at(2))
    expect(await store.erase(consentId, at(3))).toBe(2)
    expect(await store.history(consentId)).toEqual([
      expect.objectContaining({ index: 1, event: null, erasedAt: at(3) }), expect.objectContaining({ index: 2, event: null, erasedAt: at(3) })])
    expect((await store.history(other.consentId))[0].event).toEqual(other)
    const [row] = await store.sql.all('SELECT body, action FROM consent_events WHERE consent_id = ? AND idx = 1', [consentId])
    expect(row).toEqual({ body: null, action: null })
  })

  it('prunes events received before a date and keeps the rest of each chain', async () => {
    const consentId = crypto.randomUUID()
    for (const minute of [0, 1, 5]) await store.insert(event({ consentId }), at(minute))
    const old = event()
    await store.insert(old, at(2))
    expect(await store.prune(at(3))).toBe(3)
    expect((await store.history(consentId)).map((s) => s.index)).toEqual([3])
    expect(await store.history(old.consentId)).toEqual([])
    const heads = await store.heads()
    expect(heads.find((h) => h.consentId === consentId)).toMatchObject({ length: 3, baseLength: 2 })
  })

  it('checkpoints only the heads that moved since the last checkpoint, chaining roots', async () => {
    expect(await store.checkpoint(at(0))).toBeNull()
    const a = event()
    await store.insert(a, at(1))
    const first = await store.checkpoint(at(2))
    expect(first?.heads.map(([id, length]) => [id, length])).toEqual([[a.consentId, 1]])
    expect(await store.checkpoint(at(3))).toBeNull()
    const b = event()
    await store.insert(b, at(4))
    const second = await store.checkpoint(at(5))
    expect(second?.heads.map(([id]) => id)).toEqual([b.consentId])
    expect(second?.prevRoot).toBe(first?.root)
    expect((await store.checkpoints()).map((c) => c.id)).toEqual([first?.id, second?.id])
  })

  it('lists events for an export by receive time and consent id, page by page', async () => {
    const consentId = crypto.randomUUID()
    for (let m = 0; m < 5; m++) await store.insert(event({ consentId: m === 4 ? consentId : crypto.randomUUID() }), at(m))
    const first = await store.list({ from: at(1), to: at(4), limit: 2 })
    expect(first.events.map((e) => e.receivedAt)).toEqual([at(1), at(2)])
    const second = await store.list({ from: at(1), to: at(4), limit: 2, after: first.next! })
    expect(second.events.map((e) => e.receivedAt)).toEqual([at(3)])
    expect(second.next).toBeNull()
    expect((await store.list({ consentId, limit: 10 })).events.map((e) => e.receivedAt)).toEqual([at(4)])
    expect((await store.latest(2)).map((e) => e.receivedAt)).toEqual([at(4), at(3)])
  })

  it('opens an existing database again without migrating twice or losing events', async () => {
    const e = event()
    await store.insert(e, at(0))
    const again = await openStore(db)
    try {
      expect((await again.history(e.consentId))[0].event).toEqual(e)
      const [{ n }] = await again.sql.all('SELECT COUNT(*) AS n FROM schema_migrations')
      expect(Number(n)).toBe(migrations('').length) // each once
    } finally {
      await again.close()
    }
  })
})

describe('the SQLite file', () => {
  it('is created with its folder, in WAL mode with synchronous = FULL (2 is FULL)', async () => {
    const { store, dispose } = await freshStore(ENGINES[0][1])
    try {
      expect(await store.sql.all('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }])
      expect(await store.sql.all('PRAGMA synchronous')).toEqual([{ synchronous: 2 }])
    } finally {
      await dispose()
    }
  })

  it('refuses a file the old demo log server wrote, saying what to do, instead of migrating over it', async () => {
    const { db, dispose } = await freshStore(ENGINES[0][1])
    const old = db.replace(/consent\.db$/, 'old.sqlite')
    const legacy = new Database(old)
    legacy.exec('CREATE TABLE consent_events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE)')
    legacy.close()
    try {
      await expect(openStore(old)).rejects.toThrow(/consent_events table the collector did not create .* give the collector another file/)
    } finally {
      await dispose()
    }
  })
})
