import { describe, expect, it } from 'vitest'
import { decodeRecord, differingServices, encodeRecord, isUuid, recordGrants, recordStatus, uuid } from '../src/record'
import type { ConsentRecord } from '../src/record'

const record = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  v: 2, id: uuid(), t: 1_780_000_000, p: '2024-05', c: ['necessary', 'analytics'], s: 'banner', h: 'a'.repeat(64), d: [], ...over,
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
      { ...good, v: 3 }, { ...good, v: 1 }, { ...good, d: 'kiln-films' }, { ...good, d: [1] }, { ...good, id: 'abc' }, { ...good, t: -1 }, { ...good, t: 1.5 }, { ...good, t: '1780000000' },
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

  it('reads a version 1 record of the first release as version 2 with no differing services (no re-prompt)', () => {
    // The exact JSON the first release (1.0.0, record v1) wrote.
    const v1 = '{"v":1,"id":"846d3a11-1297-4de8-b77b-88019c690430","t":1780000000,"p":"2024-05","c":["necessary","marketing"],"s":"banner","h":null}'
    const r = decodeRecord(v1)!
    expect(r).toEqual({ v: 2, id: '846d3a11-1297-4de8-b77b-88019c690430', t: 1780000000, p: '2024-05', c: ['necessary', 'marketing'], s: 'banner', h: null, d: [] })
    // Its services follow their categories, as they did before services could be chosen one by one.
    const base = { categories: { necessary: true, analytics: false, marketing: false }, services: { insights: false, pixelwave: false, 'kiln-films': false } }
    const of = { insights: 'analytics', pixelwave: 'marketing', 'kiln-films': 'marketing' }
    expect(recordGrants(r, base, of)).toEqual({
      categories: { necessary: true, analytics: false, marketing: true }, services: { insights: false, pixelwave: true, 'kiln-films': true },
    })
  })

  it('keeps only the services that differ from their category, and reads them back', () => {
    const of = { insights: 'analytics', pixelwave: 'marketing', 'kiln-films': 'marketing' }
    const grants = { categories: { necessary: true, analytics: true, marketing: false }, services: { insights: true, pixelwave: false, 'kiln-films': true } }
    const d = differingServices(grants, of)
    expect(d).toEqual(['kiln-films'])
    const base = { categories: { necessary: true, analytics: false, marketing: false }, services: { insights: false, pixelwave: false, 'kiln-films': false } }
    expect(recordGrants(record({ c: ['necessary', 'analytics'], d }), base, of)).toEqual(grants)
    // A service the config dropped is ignored; one it gained follows its category.
    expect(recordGrants(record({ c: ['necessary', 'marketing'], d: ['gone'] }), base, of).services).toEqual({ insights: false, pixelwave: true, 'kiln-films': true })
  })
})
