import { describe, expect, it } from 'vitest'
import { decodeRecord, encodeRecord, isUuid, recordStatus, uuid } from '../src/record'
import type { ConsentRecord } from '../src/record'

const record = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  v: 1, id: uuid(), t: 1_780_000_000, p: '2024-05', c: ['necessary', 'analytics'], s: 'banner', h: 'a'.repeat(64), ...over,
})

describe('consent record', () => {
  it('round-trips through encode and decode', () => {
    const r = record()
    expect(decodeRecord(encodeRecord(r))).toEqual(r)
    expect(decodeRecord(encodeRecord(record({ h: null, s: 'api', c: [] })))).toMatchObject({ h: null, s: 'api', c: [] })
  })

  it('makes RFC 9562 version 4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 50 }, uuid))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(isUuid(id)).toBe(true)
    expect(isUuid('00000000-0000-1000-8000-000000000000')).toBe(false)
  })

  it('rejects anything but the exact schema', () => {
    const good = record()
    const bad: unknown[] = [
      'not json', '[]', 'null', '{}',
      { ...good, v: 2 }, { ...good, id: 'abc' }, { ...good, t: -1 }, { ...good, t: 1.5 }, { ...good, t: '1780000000' },
      { ...good, p: 5 }, { ...good, c: 'analytics' }, { ...good, c: [1] }, { ...good, s: 'cookie-wall' },
      { ...good, h: 'abc' }, { ...good, extra: true },
    ]
    for (const b of bad) expect(decodeRecord(typeof b === 'string' ? b : JSON.stringify(b))).toBeNull()
  })

  it('is valid within its lifetime and policy version, then expired or policy-changed', () => {
    const r = record({ t: 1_000_000 })
    expect(recordStatus(r, '2024-05', 182, 1_000_000 + 181 * 86400)).toBe('valid')
    expect(recordStatus(r, '2024-05', 182, 1_000_000 + 182 * 86400)).toBe('expired')
    expect(recordStatus(r, '2025-01', 182, 1_000_001)).toBe('policy-changed')
    expect(recordStatus(r, '2025-01', 182, 1_000_000 + 400 * 86400)).toBe('policy-changed')
  })
})
