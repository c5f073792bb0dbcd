import { readCookie, removeCookie, writeCookie } from './cookie'
import { deleteDeviceKey, loadKey, open, seal } from './crypto'
import type { KeyHandle } from './crypto'
import { decodeRecord, encodeRecord, recordStatus } from './record'
import type { ConsentRecord } from './record'
import type { ResolvedConfig, UndecidedReason } from './types'

/** What the cookie held: a record when it decrypted, and whether it still counts. */
export interface StoredConsent {
  status: 'valid' | Exclude<UndecidedReason, 'loading' | 'invalid-config'>
  record: ConsentRecord | null
}

/**
 * The key that protects this site's consent cookie: the configured shared key, or the device key.
 * @param config resolved config
 */
export function consentKey(config: ResolvedConfig): Promise<KeyHandle> {
  return loadKey(config.encryptionKey, config.cookieName)
}

/**
 * Reads and decrypts the consent cookie. Never throws: anything that does not decrypt and parse is `unreadable`.
 * The key is asked for only when there is a cookie: a first visit needs no IndexedDB or WebCrypto.
 * @param config resolved config
 * @param key gives the key from `consentKey`, or `null` when WebCrypto is unavailable (then `unreadable`)
 */
export async function readStoredConsent(config: ResolvedConfig, key: () => Promise<KeyHandle | null>): Promise<StoredConsent> {
  const value = readCookie(config.cookieName)
  if (!value) return { status: 'none', record: null }
  const handle = await key()
  const plain = handle && (await open(value, handle, config.cookieName))
  const record = plain ? decodeRecord(plain) : null
  if (!record) return { status: 'unreadable', record: null }
  return { status: recordStatus(record, config.policyVersion, config.cookieMaxAgeDays, Date.now() / 1000), record }
}

/**
 * Encrypts a record into the consent cookie.
 * @param config resolved config
 * @param key from `consentKey`
 * @param record the decision
 */
export async function writeStoredConsent(config: ResolvedConfig, key: KeyHandle, record: ConsentRecord): Promise<void> {
  const value = await seal(encodeRecord(record), key, config.cookieName)
  writeCookie(config.cookieName, value, { domain: config.cookieDomain, maxAgeDays: config.cookieMaxAgeDays })
}

/**
 * Deletes the consent cookie and, unless the key is shared with a server, the device key.
 * @param config resolved config
 */
export async function eraseStoredConsent(config: ResolvedConfig): Promise<void> {
  removeCookie(config.cookieName)
  if (!config.encryptionKey) await deleteDeviceKey(config.cookieName)
}
