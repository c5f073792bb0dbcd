/** A key and the short id written next to what it seals, so a value sealed with another key is told apart at once. */
export interface KeyHandle {
  key: CryptoKey
  id: string
}

const FORMAT_VERSION = '1'
const IV_BYTES = 12 // 96-bit IV: the size NIST SP 800-38D recommends for GCM
const TAG_BYTES = 16
const DB_NAME = 'minopio-consent'
const DB_STORE = 'keys'
const AES = 'AES-GCM'

const utf8 = new TextEncoder()
const sessionKeys = new Map<string, Promise<KeyHandle>>()

/** RFC 4648 §5 base64url without padding. */
export function toBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b) // no spread: an outbox can exceed the engine's argument limit
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Strict base64url decoding: `null` for any character outside the alphabet, padding, an impossible length, or
 * non-zero trailing bits — only the canonical encoding decodes, so every altered character is seen.
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (/[^\w-]/.test(text)) return null
  try {
    const bytes = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
    return toBase64url(bytes) === text ? bytes : null
  } catch {
    return null // atob: impossible length
  }
}

/** SHA-256 of a string, lowercase hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(text)))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Imports a configured 256-bit key (base64url). Its id is derived from the key so a server holding it finds it.
 * @param base64url the `encryptionKey` config value
 */
export async function importSharedKey(base64url: string): Promise<KeyHandle> {
  const raw = fromBase64url(base64url)
  if (!raw || raw.length !== 32) throw new Error('encryptionKey must be 32 bytes in base64url')
  const key = await crypto.subtle.importKey('raw', raw, AES, false, ['encrypt', 'decrypt'])
  const id = (await sha256Hex(base64url)).slice(0, 8)
  return { key, id }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1)
  req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE)
  return request(req)
}

async function generateKey(): Promise<KeyHandle> {
  // Non-extractable: page scripts (and XSS) can use it in this origin but never read it out.
  const key = await crypto.subtle.generateKey({ name: AES, length: 256 }, false, ['encrypt', 'decrypt'])
  return { key, id: toBase64url(crypto.getRandomValues(new Uint8Array(6))) }
}

async function loadOrCreate(slot: string): Promise<KeyHandle> {
  const db = await openDb()
  const valid = (k: KeyHandle | undefined) => (k?.key && typeof k.id == 'string' ? k : null)
  try {
    // A returning visitor only reads: one readonly transaction, no key generated.
    const found = valid(await request(db.transaction(DB_STORE).objectStore(DB_STORE).get(slot)))
    if (found) return found
    // WebCrypto cannot run inside a transaction (it would commit), so the key is made first; then one readwrite
    // transaction re-reads and writes, so two tabs racing on a first visit end up with the same key.
    const fresh = await generateKey()
    const tx = db.transaction(DB_STORE, 'readwrite')
    const keys = tx.objectStore(DB_STORE)
    const raced = valid(await request(keys.get(slot)))
    if (raced) return raced
    keys.put(fresh, slot)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = tx.onabort = () => reject(tx.error)
    })
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
    handle = (typeof indexedDB === 'undefined' ? generateKey() : loadOrCreate(slot).catch(generateKey))
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

/**
 * Decrypts a value made by `seal`.
 * @returns the plain text, or `null` when the value is malformed, tampered, truncated or sealed with another key
 */
export async function open(value: string, handle: KeyHandle, aad: string): Promise<string | null> {
  const parts = value.split('.')
  if (parts.length !== 3 || parts[0] !== FORMAT_VERSION || parts[1] !== handle.id) return null
  const bytes = fromBase64url(parts[2])
  if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) return null
  try {
    const params = { name: AES, iv: bytes.subarray(0, IV_BYTES), additionalData: utf8.encode(aad) }
    const plain = await crypto.subtle.decrypt(params, handle.key, bytes.subarray(IV_BYTES))
    return new TextDecoder('utf-8', { fatal: true }).decode(plain)
  } catch {
    return null // GCM tag mismatch or invalid UTF-8: tampered or foreign
  }
}
