import type { ConsentSource } from './types'

/** The consent record kept (encrypted) in the cookie; keys are short because every byte rides on every request. */
export interface ConsentRecord {
  v: 1
  /** consentId, UUIDv4 */
  id: string
  /** decision time, unix seconds */
  t: number
  /** policy version the visitor decided on */
  p: string
  /** granted category ids */
  c: string[]
  /** source of the decision */
  s: ConsentSource
  /** SHA-256 hex of the texts shown, `null` when none were shown */
  h: string | null
}

export type RecordStatus = 'valid' | 'expired' | 'policy-changed'

const SCHEMA_VERSION = 1
const SOURCES: readonly string[] = ['banner', 'preferences', 'api', 'gpc']
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const HEX64 = /^[0-9a-f]{64}$/

/** A random UUIDv4 (RFC 9562 §5.4); `crypto.randomUUID` is missing outside secure contexts. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** True for a lowercase UUIDv4. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** Serializes a record. */
export function encodeRecord(record: ConsentRecord): string {
  return JSON.stringify(record)
}

/**
 * Parses a record, accepting only the exact schema.
 * @returns the record, or `null` for anything else (not JSON, other version, missing or mistyped field)
 */
export function decodeRecord(json: string): ConsentRecord | null {
  let r: unknown
  try {
    r = JSON.parse(json)
  } catch {
    return null
  }
  if (!r || typeof r !== 'object' || Array.isArray(r)) return null
  const o = r as Record<string, unknown>
  const ok =
    o.v === SCHEMA_VERSION &&
    isUuid(o.id) &&
    Number.isInteger(o.t) && (o.t as number) > 0 &&
    typeof o.p === 'string' &&
    Array.isArray(o.c) && o.c.every((id) => typeof id === 'string') &&
    SOURCES.includes(o.s as string) &&
    (o.h === null || (typeof o.h === 'string' && HEX64.test(o.h))) &&
    Object.keys(o).length === 7
  return ok ? (o as unknown as ConsentRecord) : null
}

/**
 * Whether a decrypted record still counts as consent.
 * @param record the record
 * @param policyVersion current policy version
 * @param maxAgeDays consent lifetime
 * @param now unix seconds
 */
export function recordStatus(record: ConsentRecord, policyVersion: string, maxAgeDays: number, now: number): RecordStatus {
  if (record.p !== policyVersion) return 'policy-changed'
  return record.t + maxAgeDays * 86400 <= now ? 'expired' : 'valid'
}
