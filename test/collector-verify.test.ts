// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../collector/src/store'
import type { ConsentEvent } from '../collector/src/validate'
import { verifyStore } from '../collector/src/verify'
import { ENGINES, freshStore, validEvent } from './collector-harness'

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString()

describe.each(ENGINES)('verify on %s', (_engine, fresh) => {
  let store: Store
  let dispose: () => Promise<void>
  let visitor: string
  let other: string

  beforeEach(async () => {
    ({ store, dispose } = await freshStore(fresh))
    visitor = crypto.randomUUID()
    other = crypto.randomUUID()
    for (let m = 0; m < 4; m++) await store.insert(validEvent({ consentId: visitor, policyVersion: `v${m}` }) as unknown as ConsentEvent, at(m))
    await store.insert(validEvent({ consentId: other }) as unknown as ConsentEvent, at(5))
  })
  afterEach(async () => {
    await dispose()
  })

  const problems = async () => (await verifyStore(store)).breaks.map((b) => [b.consentId, b.index])
  const tamper = (sql: string, params: unknown[] = []) => store.sql.run(sql, params)

  it('passes an untouched log, and one after erasure, pruning and checkpoints', async () => {
    await store.checkpoint(at(6))
    expect(await verifyStore(store)).toEqual({ ok: true, chains: 2, events: 5, checkpoints: 1, breaks: [] })
    await store.erase(other, at(7))
    await store.prune(at(2))
    await store.insert(validEvent({ consentId: visitor }) as unknown as ConsentEvent, at(8))
    await store.checkpoint(at(9))
    expect(await verifyStore(store)).toMatchObject({ ok: true, chains: 2, events: 4, checkpoints: 2 })
  })

  it('catches an edited event: the stored choice changed in place', async () => {
    await tamper(`UPDATE consent_events SET body = REPLACE(body, '"marketing":false', '"marketing":true') WHERE consent_id = ? AND idx = 2`, [visitor])
    const report = await verifyStore(store)
    expect(report.ok).toBe(false)
    expect(report.breaks).toEqual([expect.objectContaining({ consentId: visitor, index: 2, problem: expect.stringMatching(/edited/) })])
  })

  it('catches an edited receive time', async () => {
    await tamper('UPDATE consent_events SET received_at = ? WHERE consent_id = ? AND idx = 1', [at(30), visitor])
    expect(await problems()).toEqual([[visitor, 1]])
  })

  it('catches a deleted event in the middle of a chain', async () => {
    await tamper('DELETE FROM consent_events WHERE consent_id = ? AND idx = 2', [visitor])
    expect((await problems()).every(([id]) => id === visitor)).toBe(true)
    expect(await problems()).toContainEqual([visitor, 3])
  })

  it('catches the latest event deleted, even with the chain head rewritten to match, once checkpointed', async () => {
    await store.checkpoint(at(6))
    await tamper('DELETE FROM consent_events WHERE consent_id = ? AND idx = 4', [visitor])
    expect(await problems()).toContainEqual([visitor, null])
    const [{ hash }] = await store.sql.all('SELECT hash FROM consent_events WHERE consent_id = ? AND idx = 3', [visitor])
    await tamper('UPDATE chain_heads SET length = 3, head = ? WHERE consent_id = ?', [hash, visitor])
    expect(await problems()).toEqual([[visitor, 4]])
  })

  it('catches two events swapped in order', async () => {
    await tamper('UPDATE consent_events SET idx = -2 WHERE consent_id = ? AND idx = 2', [visitor])
    await tamper('UPDATE consent_events SET idx = 2 WHERE consent_id = ? AND idx = 3', [visitor])
    await tamper('UPDATE consent_events SET idx = 3 WHERE consent_id = ? AND idx = -2', [visitor])
    expect(await problems()).toEqual(expect.arrayContaining([[visitor, 2], [visitor, 3]]))
  })

  it('catches a whole visitor removed, head included, through the checkpoint', async () => {
    await store.checkpoint(at(6))
    await tamper('DELETE FROM consent_events WHERE consent_id = ?', [other])
    await tamper('DELETE FROM chain_heads WHERE consent_id = ?', [other])
    expect(await problems()).toEqual([[other, null]])
  })

  it('catches a rewritten or removed checkpoint', async () => {
    await store.checkpoint(at(6))
    await store.insert(validEvent() as unknown as ConsentEvent, at(7))
    const second = await store.checkpoint(at(8))
    await tamper('DELETE FROM checkpoints WHERE id < ?', [second!.id])
    expect(await problems()).toContainEqual([null, second!.id])
  })
})
