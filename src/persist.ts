import { removeCookie, writeCookie } from './cookie'
import type { KeyHandle } from './crypto'
import { encodeRecord } from './record'
import type { ConsentRecord } from './record'
import { deleteDeviceKey, loadKey, seal } from './seal'
import type { ResolvedConfig } from './types'

/**
 * The key that protects this site's consent cookie, created on first use: the configured shared key, or the device key.
 * @param config resolved config
 */
export function consentKey(config: ResolvedConfig): Promise<KeyHandle> {
  return loadKey(config.encryptionKey, config.cookieName)
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
