// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { toBase64url } from '../src/crypto'
import { encodeRecord } from '../src/record'
import { seal } from '../src/seal'
import { importSharedKey } from '../src/crypto'
import { consentPolicy } from '../src/server'

const KEY = toBase64url(new Uint8Array(32).fill(7))
const config = { rules: [{ match: 'ads.example', category: 'marketing' }, { match: 'stats.example', category: 'analytics' }] }
const allows = (policy: string, host: string) => policy.split('; ')[0].split(' ').includes(host)
const now = Date.UTC(2026, 11, 1)

async function sealed(categories: string[], policyVersion = '1', differ: string[] = []) {
  const record = { v: 2 as const, id: '6f1c2b1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e', t: now / 1000 - 60, p: policyVersion, c: categories, s: 'banner' as const, h: null, d: differ }
  return seal(encodeRecord(record), await importSharedKey(KEY), 'minopio_consent')
}

describe('consentPolicy (Node, no DOM)', () => {
  it('without a cookie allows no optional host', async () => {
    const policy = await consentPolicy(undefined, config)
    expect(allows(policy, "'self'")).toBe(true)
    expect(allows(policy, 'ads.example:*')).toBe(false)
  })

  it('with per-device keys reads the hint the browser keeps', async () => {
    const policy = await consentPolicy('a=1; minopio_consent_hint=analytics; b=2', config)
    expect(allows(policy, 'stats.example:*')).toBe(true)
    expect(allows(policy, 'ads.example:*')).toBe(false)
  })

  it('with encryptionKey trusts only the verified record: a forged hint grants nothing', async () => {
    const value = await sealed(['analytics'])
    const policy = await consentPolicy(`minopio_consent=${value}; minopio_consent_hint=analytics.marketing`, { ...config, encryptionKey: KEY }, { now })
    expect(allows(policy, 'stats.example:*')).toBe(true)
    expect(allows(policy, 'ads.example:*')).toBe(false)
    const forged = await consentPolicy('minopio_consent=1.abc.xyz; minopio_consent_hint=marketing', { ...config, encryptionKey: KEY }, { now })
    expect(allows(forged, 'ads.example:*')).toBe(false)
  })

  it('ignores a record of another policy version', async () => {
    const value = await sealed(['analytics'], 'old')
    const policy = await consentPolicy(`minopio_consent=${value}`, { ...config, encryptionKey: KEY, policyVersion: 'new' }, { now })
    expect(allows(policy, 'stats.example:*')).toBe(false)
  })

  it('refuses RegExp rules with a clear error', async () => {
    await expect(consentPolicy('', { rules: [{ match: /ads/, category: 'marketing' }] })).rejects.toThrow(/\[minopio-consent\] consentPolicy: every rule's match must be a host or host\/path/)
  })

  it('reads services from the record: one granted on its own opens its hosts only', async () => {
    const services = { categories: ['necessary', { id: 'marketing', services: [{ id: 'pixelwave', name: 'Pixelwave', match: ['px.example'] }, { id: 'kiln', name: 'Kiln', match: ['kiln.example'] }] }] }
    const value = await sealed([], '1', ['kiln'])
    const policy = await consentPolicy(`minopio_consent=${value}`, { ...services, encryptionKey: KEY }, { now })
    expect(allows(policy, 'kiln.example:*')).toBe(true)
    expect(allows(policy, 'px.example:*')).toBe(false)
    const all = await consentPolicy(`minopio_consent=${await sealed(['marketing'], '1', ['pixelwave'])}`, { ...services, encryptionKey: KEY }, { now })
    expect([allows(all, 'kiln.example:*'), allows(all, 'px.example:*')]).toEqual([true, false])
  })
})
