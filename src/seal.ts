// The write side of crypto.ts, loaded with the write path: creating, caching and deleting device keys, and sealing.
import { AES, DB_STORE, FORMAT_VERSION, IV_BYTES, importSharedKey, openDb, readDeviceKey, request, sessionKeys, toBase64url, utf8, validKey } from './crypto'
import type { KeyHandle, Seen } from './crypto'

async function generateKey(): Promise<KeyHandle> {
  // Non-extractable: page scripts (and XSS) can use it in this origin but never read it out.
  const key = await crypto.subtle.generateKey({ name: AES, length: 256 }, false, ['encrypt', 'decrypt'])
  return { key, id: toBase64url(crypto.getRandomValues(new Uint8Array(6))) }
}

const committed = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error)
  })

async function loadOrCreate(slot: string): Promise<KeyHandle> {
  // A returning visitor only reads: one readonly transaction, no key generated.
  const found = await readDeviceKey(slot)
  if (found) return found
  // WebCrypto cannot run inside a transaction (it would commit), so the key is made first; then one readwrite
  // transaction re-reads and writes, so two tabs racing on a first visit end up with the same key.
  const fresh = await generateKey()
  const db = await openDb()
  try {
    const tx = db.transaction(DB_STORE, 'readwrite')
    const keys = tx.objectStore(DB_STORE)
    const raced = validKey(await request(keys.get(slot)))
    if (raced) return raced
    keys.put(fresh, slot)
    await committed(tx)
    return fresh
  } finally {
    db.close()
  }
}

/**
 * The per-device key of a slot: a non-extractable AES-GCM key kept in IndexedDB, created on first use.
 * Without IndexedDB (some private modes) the key lives in memory for this page session.
 * @param slot what the key protects (the cookie name, the outbox)
 */
export function loadDeviceKey(slot: string): Promise<KeyHandle> {
  let handle = sessionKeys.get(slot)
  if (!handle) {
    const inMemory = () => generateKey().then((k): KeyHandle => ({ ...k, temp: true }))
    handle = typeof indexedDB === 'undefined' ? inMemory() : loadOrCreate(slot).catch(inMemory)
    sessionKeys.set(slot, handle)
  }
  return handle
}

/**
 * The key for a slot: the shared `encryptionKey` when configured, else the slot's per-device key.
 * @param sharedKey `encryptionKey` from the config, or null
 * @param slot what the key protects (the cookie name, the outbox)
 */
export function loadKey(sharedKey: string | null, slot: string): Promise<KeyHandle> {
  return sharedKey ? importSharedKey(sharedKey) : loadDeviceKey(slot)
}

/**
 * Keeps the newest value sealed into a slot beside its device key, so the read path can tell a rollback
 * (an older value written back) from the current one.
 * @param slot the slot passed to `loadDeviceKey`
 * @param handle the device key that sealed the value
 * @param seen the value and its time
 */
export async function keepSeen(slot: string, handle: KeyHandle, seen: Seen): Promise<void> {
  handle.seen = seen
  if (handle.temp || typeof indexedDB === 'undefined') return
  const db = await openDb()
  try {
    const tx = db.transaction(DB_STORE, 'readwrite')
    const keys = tx.objectStore(DB_STORE)
    const stored = validKey(await request(keys.get(slot)))
    // Only beside the same key: a key deleted meanwhile (forget() in another tab) is not brought back.
    if (stored?.id === handle.id) keys.put({ ...stored, seen }, slot)
    await committed(tx)
  } finally {
    db.close()
  }
}

/**
 * Deletes a slot's device key (`forget()`): what it sealed can never be read again.
 * @param slot the slot passed to `loadDeviceKey`
 */
export async function deleteDeviceKey(slot: string): Promise<void> {
  sessionKeys.delete(slot)
  if (typeof indexedDB === 'undefined') return
  try {
    const db = await openDb()
    try {
      await request(db.transaction(DB_STORE, 'readwrite').objectStore(DB_STORE).delete(slot))
    } finally {
      db.close()
    }
  } catch {
    // No IndexedDB in this mode: the in-memory key is already gone.
  }
}

/**
 * Encrypts `plain` as `1.<keyId>.<base64url(iv ‖ AES-256-GCM ciphertext)>`.
 * @param plain text to protect
 * @param handle key and key id
 * @param aad additional authenticated data (the cookie name): the value cannot be replayed under another name
 */
export async function seal(plain: string, handle: KeyHandle, aad: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const params = { name: AES, iv, additionalData: utf8.encode(aad) }
  const sealed = new Uint8Array(await crypto.subtle.encrypt(params, handle.key, utf8.encode(plain)))
  const out = new Uint8Array(IV_BYTES + sealed.length)
  out.set(iv)
  out.set(sealed, IV_BYTES)
  return `${FORMAT_VERSION}.${handle.id}.${toBase64url(out)}`
}

