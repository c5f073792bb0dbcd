import { describe, expect, it } from 'vitest'
import { fromBase64url, importSharedKey, open, sha256Hex, toBase64url } from '../src/crypto'
import { deleteDeviceKey, loadDeviceKey, seal } from '../src/seal'

const KEY = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80'
const OTHER = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('base64url', () => {
  it('round-trips every length and matches the RFC 4648 test vectors', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n))
      expect(Array.from(fromBase64url(toBase64url(bytes))!)).toEqual(Array.from(bytes))
    }
    expect(toBase64url(new TextEncoder().encode('foobar'))).toBe('Zm9vYmFy')
    expect(toBase64url(new TextEncoder().encode('fo'))).toBe('Zm8')
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
  })

  it('rejects padding, foreign characters, impossible lengths and non-zero trailing bits', () => {
    expect(fromBase64url('Zm8=')).toBeNull()
    expect(fromBase64url('Zm+v')).toBeNull()
    expect(fromBase64url('Z')).toBeNull()
    expect(fromBase64url('Zm9')).toBeNull() // "Zm8" is canonical: 9 sets a bit that decodes to nothing
  })
})

describe('seal and open', () => {
  it('round-trips text in the 1.<keyId>.<iv‖ciphertext> format with a fresh IV each time', async () => {
    const key = await importSharedKey(KEY)
    const a = await seal('{"hello":"wörld"}', key, 'minopio_consent')
    const b = await seal('{"hello":"wörld"}', key, 'minopio_consent')
    expect(a).toMatch(/^1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/)
    expect(a).not.toBe(b)
    expect(fromBase64url(a.split('.')[2])!.length).toBe(12 + 18 + 16)
    expect(await open(a, key, 'minopio_consent')).toBe('{"hello":"wörld"}')
  })

  it('refuses every single-character change of a sealed value', async () => {
    const key = await importSharedKey(KEY)
    const value = await seal('{"c":["analytics"]}', key, 'minopio_consent')
    const opened: string[] = []
    for (let i = 0; i < value.length; i++) {
      for (const ch of ALPHABET + '.=%') {
        if (ch === value[i]) continue
        const altered = value.slice(0, i) + ch + value.slice(i + 1)
        const plain = await open(altered, key, 'minopio_consent')
        if (plain !== null) opened.push(altered)
      }
    }
    expect(opened).toEqual([])
  })

  it('refuses a truncated or extended value', async () => {
    const key = await importSharedKey(KEY)
    const value = await seal('{}', key, 'c')
    for (let n = 0; n < value.length; n++) expect(await open(value.slice(0, n), key, 'c')).toBeNull()
    expect(await open(value + 'A', key, 'c')).toBeNull()
  })

  it('refuses a value sealed with another key, even under the same key id', async () => {
    const key = await importSharedKey(KEY)
    const other = await importSharedKey(OTHER)
    const value = await seal('{}', other, 'c')
    expect(await open(value, key, 'c')).toBeNull()
    expect(await open(value, { key: key.key, id: other.id }, 'c')).toBeNull()
  })

  it('refuses a value replayed under another cookie name (additional data)', async () => {
    const key = await importSharedKey(KEY)
    expect(await open(await seal('{}', key, 'consent_a'), key, 'consent_b')).toBeNull()
  })
})

describe('keys', () => {
  it('derives a stable id from a shared key so a server can find it', async () => {
    expect((await importSharedKey(KEY)).id).toBe((await importSharedKey(KEY)).id)
    expect((await importSharedKey(KEY)).id).not.toBe((await importSharedKey(OTHER)).id)
    await expect(importSharedKey('short')).rejects.toThrow(/32 bytes/)
  })

  it('keeps one non-extractable device key per slot for the session, and a new one after deletion', async () => {
    const a = await loadDeviceKey('slot-a')
    expect(await loadDeviceKey('slot-a')).toBe(a)
    expect(a.key.extractable).toBe(false)
    expect((await loadDeviceKey('slot-b')).id).not.toBe(a.id)
    const sealed = await seal('secret', a, 'slot-a')
    await deleteDeviceKey('slot-a')
    const b = await loadDeviceKey('slot-a')
    expect(b.id).not.toBe(a.id)
    expect(await open(sealed, b, 'slot-a')).toBeNull()
  })

  it('hashes text with SHA-256 in hex', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
