import { afterEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/config-diagnostics'
import { readCookie } from '../src/cookie-read'
import { uuid } from '../src/record'
import type { ConsentRecord } from '../src/record'
import { consentKey, eraseStoredConsent, writeStoredConsent } from '../src/persist'
import { readStoredConsent } from '../src/stored-consent'
import type { ConsentConfig } from '../src/types'

const KEY = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80'
const OTHER = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const now = () => Math.floor(Date.now() / 1000)
const cfg = (config: ConsentConfig = {}) => resolveConfig({ config: { policyVersion: '2024-05', ...config } }).config
const record = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({ v: 2, id: uuid(), t: now(), p: '2024-05', c: ['necessary', 'marketing'], s: 'banner', h: null, d: [], ...over })

afterEach(() => {
  document.cookie = 'minopio_consent=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

describe('stored consent', () => {
  it('reads back what it wrote, with a device key and with a shared key', async () => {
    for (const config of [cfg(), cfg({ encryptionKey: KEY })]) {
      const key = await consentKey(config)
      const r = record()
      await writeStoredConsent(config, key, r)
      expect(await readStoredConsent(config, async () => key)).toEqual({ status: 'valid', record: r })
    }
  })

  it('asks for no key without a cookie, and reports a cookie it has no key for as unreadable', async () => {
    const config = cfg()
    let asked = 0
    expect(await readStoredConsent(config, async () => (asked++, null))).toEqual({ status: 'none', record: null })
    expect(asked).toBe(0)
    await writeStoredConsent(config, await consentKey(config), record())
    expect((await readStoredConsent(config, async () => (asked++, null))).status).toBe('unreadable')
    expect(asked).toBe(1)
  })

  it('reports none without a cookie, expired after its lifetime, policy-changed for another version', async () => {
    const config = cfg({ cookieMaxAgeDays: 30 })
    const key = await consentKey(config)
    expect((await readStoredConsent(config, async () => key)).status).toBe('none')
    await writeStoredConsent(config, key, record({ t: now() - 31 * 86400 }))
    expect((await readStoredConsent(config, async () => key)).status).toBe('expired')
    await writeStoredConsent(config, key, record({ p: '2023-01' }))
    const changed = await readStoredConsent(config, async () => key)
    expect(changed.status).toBe('policy-changed')
    expect(changed.record?.p).toBe('2023-01')
  })

  it('treats every single-character change of the cookie as unreadable, never as consent', async () => {
    const config = cfg()
    const key = await consentKey(config)
    await writeStoredConsent(config, key, record())
    const value = readCookie('minopio_consent')!
    const statuses = new Set<string>()
    for (let i = 0; i < value.length; i++) {
      const ch = ALPHABET[(ALPHABET.indexOf(value[i]) + 1 + (i % 63)) % 64] ?? 'A'
      const altered = value.slice(0, i) + (ch === value[i] ? '.' : ch) + value.slice(i + 1)
      document.cookie = `minopio_consent=${altered}; path=/`
      statuses.add((await readStoredConsent(config, async () => key)).status)
    }
    expect([...statuses]).toEqual(['unreadable'])
  })

  it('treats a cookie written with another key, or garbage, as unreadable', async () => {
    const mine = cfg({ encryptionKey: KEY })
    const theirs = cfg({ encryptionKey: OTHER })
    await writeStoredConsent(theirs, await consentKey(theirs), record())
    expect((await readStoredConsent(mine, () => consentKey(mine))).status).toBe('unreadable')
    for (const junk of ['yes', 'true', '1..', '{"c":["marketing"]}', '%E0%A4%A']) {
      document.cookie = `minopio_consent=${junk}; path=/`
      expect((await readStoredConsent(mine, () => consentKey(mine))).status).toBe('unreadable')
    }
  })

  it('erases the cookie and the device key: the old value can no longer be read', async () => {
    const config = cfg()
    const key = await consentKey(config)
    await writeStoredConsent(config, key, record())
    const old = readCookie('minopio_consent')!
    await eraseStoredConsent(config)
    expect(readCookie('minopio_consent')).toBeUndefined()
    document.cookie = `minopio_consent=${old}; path=/`
    expect((await readStoredConsent(config, () => consentKey(config))).status).toBe('unreadable')
  })

  it('counts an older value written back (a rollback) as unreadable, with a device key and with a shared key', async () => {
    for (const config of [cfg(), cfg({ encryptionKey: KEY })]) {
      const key = await consentKey(config)
      const accepted = record()
      await writeStoredConsent(config, key, accepted)
      const old = readCookie('minopio_consent')!
      // The same second: only the value this device wrote last counts.
      await writeStoredConsent(config, key, record({ id: accepted.id, c: ['necessary'] }))
      const current = readCookie('minopio_consent')!
      document.cookie = `minopio_consent=${old}; path=/`
      expect(await readStoredConsent(config, async () => key)).toEqual({ status: 'unreadable', record: null })
      document.cookie = `minopio_consent=${current}; path=/`
      expect((await readStoredConsent(config, async () => key)).status).toBe('valid')
      // An earlier second, sealed with the right key (a copy from yesterday).
      await writeStoredConsent(config, key, record({ id: accepted.id, t: now() - 86400 }))
      const yesterday = readCookie('minopio_consent')!
      await writeStoredConsent(config, key, record({ id: accepted.id }))
      document.cookie = `minopio_consent=${yesterday}; path=/`
      expect((await readStoredConsent(config, async () => key)).status).toBe('unreadable')
    }
  })

  it('with a shared key, counts a value written before erasing as a rollback (the key survives erasing)', async () => {
    const config = cfg({ encryptionKey: KEY })
    const key = await consentKey(config)
    await writeStoredConsent(config, key, record())
    const old = readCookie('minopio_consent')!
    await eraseStoredConsent(config)
    document.cookie = `minopio_consent=${old}; path=/`
    expect((await readStoredConsent(config, async () => key)).status).toBe('unreadable')
    await writeStoredConsent(config, key, record())
    expect((await readStoredConsent(config, async () => key)).status).toBe('valid')
  })

  it('keeps a cookie with 50 services, each chosen against its category, well under 4 KB', async () => {
    const services = Array.from({ length: 50 }, (_, i) => ({ id: `service-number-${String(i).padStart(2, '0')}`, name: `Service ${i}` }))
    const config = cfg({ categories: ['necessary', { id: 'analytics', services: services.slice(0, 25) }, { id: 'marketing', services: services.slice(25) }] })
    expect(config.valid).toBe(true)
    const key = await consentKey(config)
    // The worst case: every service differs from its category, so every id is stored.
    const d = services.map((s) => s.id)
    await writeStoredConsent(config, key, record({ c: ['necessary'], d, h: 'f'.repeat(64) }))
    const cookie = `minopio_consent=${readCookie('minopio_consent')}`
    expect(cookie.length).toBeLessThan(2048)
    expect((await readStoredConsent(config, async () => key)).record?.d).toEqual(d)
  })
})
