/** A key and the short id written next to what it seals, so a value sealed with another key is told apart at once. */
export interface KeyHandle {
  key: CryptoKey
  id: string
  /** Set when the key lives in this page's memory only (no IndexedDB): what it seals is unreadable after the page. */
  temp?: boolean
  /** The newest value this device sealed into the slot (device keys keep it beside the key). */
  seen?: Seen
}

/** A sealed value and its time (unix seconds): a value of the slot older than the newest one seen is a rollback. */
export interface Seen {
  t: number
  v: string
}

/** The localStorage item that keeps the newest value seen when the key is shared (it has no device record to sit in). */
export const seenItem = (slot: string) => slot + ':seen'

export const FORMAT_VERSION = '1'
export const IV_BYTES = 12 // 96-bit IV: the size NIST SP 800-38D recommends for GCM
const TAG_BYTES = 16
const DB_NAME = 'minopio-consent'
export const DB_STORE = 'keys'
export const AES = 'AES-GCM'

export const utf8 = new TextEncoder()
/** Keys of this page session by slot: what `seal.ts` made or found, so a key that lives only in memory is found again. */
export const sessionKeys = new Map<string, Promise<KeyHandle>>()

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

/** A stored key handle, or `null` when the slot holds something else. */
export const validKey = (k: KeyHandle | undefined) => (k?.key && typeof k.id == 'string' ? k : null)

/** Promise of an IndexedDB request. */
export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

/** Opens the SDK's key database. */
export function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1)
  req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE)
  return request(req)
}

/**
 * Reads the per-device key of a slot without creating one: the read path of a returning visitor, one readonly
 * transaction. `null` when there is none or no IndexedDB (some private modes).
 * @param slot what the key protects (the cookie name, the outbox)
 */
export async function readDeviceKey(slot: string): Promise<KeyHandle | null> {
  const known = sessionKeys.get(slot)
  if (known) return known
  if (typeof indexedDB === 'undefined') return null
  const db = await openDb()
  try {
    return validKey(await request(db.transaction(DB_STORE).objectStore(DB_STORE).get(slot)))
  } finally {
    db.close()
  }
}

/**
 * The key that can open a slot's values: the shared `encryptionKey` when configured, else the device key if one exists.
 * @param sharedKey `encryptionKey` from the config, or null
 * @param slot what the key protects
 */
export function findKey(sharedKey: string | null, slot: string): Promise<KeyHandle | null> {
  return sharedKey ? importSharedKey(sharedKey) : readDeviceKey(slot).catch(() => null)
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
