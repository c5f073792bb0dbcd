// The proof: each stored event is one link of its visitor's hash chain, and checkpoints chain the chain heads.
// hash = sha256(prev_hash ‖ digest) where digest = sha256(canonical record). Hashing the digest rather than the record
// itself keeps a chain verifiable after an erasure: the record goes, its digest stays.
import { createHash } from 'node:crypto'

/** The hash before the first link of every chain, and the root before the first checkpoint. */
export const GENESIS = '0'.repeat(64)

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * JSON with object keys sorted at every depth: the same value always gives the same text, whatever the key order
 * it arrived in, so a record can be hashed, stored and compared byte for byte.
 * @example canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }) // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>
    return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * The digest of one stored record: the event as received plus the server's receive time (so neither can change).
 * @param body the event's canonical JSON
 * @param receivedAt ISO time the collector stored it
 */
export const recordDigest = (body: string, receivedAt: string): string => sha256(`${receivedAt}\n${body}`)

/** The next link: sha256(prev_hash ‖ digest). */
export const linkHash = (prevHash: string, digest: string): string => sha256(prevHash + digest)

/** One chain head as a checkpoint records it: `[consentId, length, head hash]`. */
export type HeadEntry = [consentId: string, length: number, head: string]

/**
 * The root of a checkpoint: it chains the previous root, the time and the heads that moved since, so removing a
 * checkpoint, or a whole visitor's chain it covered, shows.
 */
export const checkpointRoot = (prevRoot: string, at: string, heads: readonly HeadEntry[]): string =>
  sha256(`${prevRoot}\n${at}\n${canonicalJson(heads)}`)
