import type { ConsentSource } from './types'

/**
 * The consent record kept (encrypted) in the cookie; keys are short because every byte rides on every request.
 * Version 2 adds `d`; a version 1 record (the first release) reads as version 2 with `d: []`.
 */
export interface ConsentRecord {
  v: 2
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
  /** ids of the services whose grant differs from their category's: usually none, so the cookie stays small */
  d: string[]
}

export type RecordStatus = 'valid' | 'expired' | 'policy-changed'

const SCHEMA_VERSION = 2
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
  // Version 1 (the first release) had no `d`: its services followed their categories, as `d: []` says.
  if (o.v === 1 && !('d' in o)) Object.assign(o, { v: SCHEMA_VERSION, d: [] })
  const ok =
    o.v === SCHEMA_VERSION &&
    isUuid(o.id) &&
    Number.isInteger(o.t) && (o.t as number) > 0 &&
    typeof o.p === 'string' &&
    Array.isArray(o.c) && o.c.every((id) => typeof id === 'string') &&
    SOURCES.includes(o.s as string) &&
    (o.h === null || (typeof o.h === 'string' && HEX64.test(o.h))) &&
    Array.isArray(o.d) && o.d.every((id) => typeof id === 'string') &&
    Object.keys(o).length === 8
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

/** What a record grants: categories, and services (id → granted). */
export interface Grants {
  categories: Record<string, boolean>
  services: Record<string, boolean>
}

/**
 * The grants a record carries: its categories, and each service as its category unless listed in `d`.
 * A category or service the config no longer has is ignored; one it gained since starts as its category.
 * @param record a decoded record
 * @param base the grants before any decision (required categories on)
 * @param serviceCategory service id → category id
 */
export function recordGrants(record: ConsentRecord, base: Grants, serviceCategory: Record<string, string>): Grants {
  const categories = { ...base.categories }
  for (const id of record.c) if (id in categories) categories[id] = true
  const services = { ...base.services }
  for (const id in services) services[id] = categories[serviceCategory[id]] !== record.d.includes(id)
  return { categories, services }
}

/**
 * The services whose grant differs from their category's: the record's `d`.
 * @param grants the decision
 * @param serviceCategory service id → category id
 */
export function differingServices(grants: Grants, serviceCategory: Record<string, string>): string[] {
  return Object.keys(grants.services).filter((id) => grants.services[id] !== (grants.categories[serviceCategory[id]] === true))
}
