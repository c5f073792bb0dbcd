import { readCookie } from './cookie-read'
import { findKey, open, seenItem } from './crypto'
import type { KeyHandle, Seen } from './crypto'
import { decodeRecord, recordStatus } from './record'
import type { ConsentRecord } from './record'
import type { ResolvedConfig, UndecidedReason } from './types'

/** What the cookie held: a record when it decrypted, and whether it still counts. */
export type StoredConsent =
  | { status: 'valid'; record: ConsentRecord }
  | { status: Exclude<UndecidedReason, 'loading' | 'invalid-config'>; record: ConsentRecord | null }

/**
 * The key that can open the consent cookie, without creating one: the shared key, or the device key if it exists.
 * @param config resolved config
 */
export function storedKey(config: ResolvedConfig): Promise<KeyHandle | null> {
  return findKey(config.encryptionKey, config.cookieName)
}

/**
 * Reads and decrypts the consent cookie. Never throws: anything that does not decrypt and parse is `unreadable`, and
 * so is a record older than the newest one this device wrote (kept beside the device key, or in localStorage with a shared key).
 * The key is asked for only when there is a cookie: a first visit needs no IndexedDB or WebCrypto.
 * @param config resolved config
 * @param key gives the key from `storedKey`, or `null` when there is none or WebCrypto is unavailable (then `unreadable`)
 * @param value the cookie's value when the caller has read it already
 */
export async function readStoredConsent(config: ResolvedConfig, key: () => Promise<KeyHandle | null>, value = readCookie(config.cookieName)): Promise<StoredConsent> {
  if (!value) return { status: 'none', record: null }
  const handle = await key()
  const plain = handle && (await open(value, handle, config.cookieName))
  const record = plain ? decodeRecord(plain) : null
  let seen: Seen | undefined = handle?.seen
  try {
    // A shared key has no device record to sit beside: the newest value seen is in localStorage.
    if (config.encryptionKey) seen = JSON.parse(localStorage[seenItem(config.cookieName)])
  } catch {
    // nothing seen yet, or storage blocked
  }
  // An older value written back (a rollback after "Reject all") decrypts fine: only the newest one this device wrote counts.
  if (!record || (seen && (record.t < seen.t || (record.t == seen.t && value != seen.v)))) return { status: 'unreadable', record: null }
  return { status: recordStatus(record, config.policyVersion, config.cookieMaxAgeDays, Date.now() / 1000), record }
}
