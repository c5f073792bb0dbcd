import { removeCookie, writeCookie } from './cookie'
import { seenItem } from './crypto'
import type { KeyHandle, Seen } from './crypto'
import { encodeRecord } from './record'
import type { ConsentRecord } from './record'
import { deleteDeviceKey, keepSeen, loadKey, seal } from './seal'
import type { ResolvedConfig } from './types'

/**
 * The key that protects this site's consent cookie, created on first use: the configured shared key, or the device key.
 * @param config resolved config
 */
export function consentKey(config: ResolvedConfig): Promise<KeyHandle> {
  return loadKey(config.encryptionKey, config.cookieName)
}

// The newest value this device wrote: beside the device key, or in localStorage when the key is shared (no device
// record to sit in). Failing to keep it only weakens rollback detection; the decision itself is stored.
async function remember(config: ResolvedConfig, key: KeyHandle | null, seen: Seen): Promise<void> {
  try {
    if (config.encryptionKey) localStorage.setItem(seenItem(config.cookieName), JSON.stringify(seen))
    else if (key) await keepSeen(config.cookieName, key, seen)
  } catch {
    // storage blocked or full
  }
}

/**
 * Encrypts a record into the consent cookie and remembers it as the newest this device wrote.
 * @param config resolved config
 * @param key from `consentKey`
 * @param record the decision
 */
export async function writeStoredConsent(config: ResolvedConfig, key: KeyHandle, record: ConsentRecord): Promise<void> {
  const value = await seal(encodeRecord(record), key, config.cookieName)
  writeCookie(config.cookieName, value, { domain: config.cookieDomain, maxAgeDays: config.cookieMaxAgeDays })
  await remember(config, key, { t: record.t, v: value })
}

/**
 * Deletes the consent cookie and, unless the key is shared with a server, the device key. With a shared key, every
 * value written before counts as a rollback from now on.
 * @param config resolved config
 */
export async function eraseStoredConsent(config: ResolvedConfig): Promise<void> {
  removeCookie(config.cookieName)
  if (config.encryptionKey) await remember(config, null, { t: Math.floor(Date.now() / 1000), v: '' })
  else await deleteDeviceKey(config.cookieName)
}
