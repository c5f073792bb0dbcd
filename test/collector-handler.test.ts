// @vitest-environment node
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector } from '../collector/src/server'
import type { RunningCollector, ServerOptions } from '../collector/src/server'
import { openStore } from '../collector/src/store'
import { ENGINES, validEvent } from './collector-harness'
import type { Database } from './collector-harness'

const SITE = 'https://www.minopio.example'
const TOKEN = 'operator-secret-token'

describe.each(ENGINES)('the collector over HTTP on %s', (_engine, fresh) => {
  let database: Database
  let running: RunningCollector
  let base: string
  const extra: RunningCollector[] = []

  /** A second collector on the same database with other options (CORS modes, limits, hosts). */
  const another = async (options: Partial<ServerOptions>) => {
    const r = await startCollector({ store: await openStore(database.db), checkpointMinutes: 0, ...options })
    extra.push(r)
    return r.url
  }

  beforeAll(async () => {
    database = await fresh()
    running = await startCollector({
      store: await openStore(database.db), origins: [SITE], adminToken: TOKEN, checkpointMinutes: 0,
      // Generous limits: the rate-limit tests use their own collector.
      rateLimits: { ipRate: 1000, ipBurst: 10_000, consentRate: 100, consentBurst: 1000 },
    })
    base = running.url
  })
  afterAll(async () => {
    for (const r of extra) await r.close()
    await running.close()
    await database.drop()
  })

  const post = (body: unknown, { type = 'application/json', headers = {}, to = base }: { type?: string; headers?: Record<string, string>; to?: string } = {}) =>
    fetch(`${to}/api/consent`, { method: 'POST', headers: { 'Content-Type': type, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const stored = async () => (await running.collector.store.counts()).events
  const admin = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, ...init.headers } })

  describe('POST /api/consent', () => {
    it('answers 201 for a new event, 200 for the same one again, 409 for another body under its eventId', async () => {
      const before = await stored()
      const event = validEvent()
      const created = await post(event)
      expect(created.status).toBe(201)
      expect(await created.json()).toEqual({ eventId: event.eventId, stored: 'created' })
      const again = await post(event)
      expect(again.status).toBe(200)
      expect(await again.json()).toEqual({ eventId: event.eventId, stored: 'duplicate' })
      const forged = await post({ ...event, action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true, partners: true } })
      expect(forged.status).toBe(409)
      expect((await forged.json()).field).toBe('eventId')
      expect(await stored()).toBe(before + 1)
      expect((await running.collector.store.counts()).conflicts).toBeGreaterThan(0)
    })

    it('answers 200 to a retry of a stored event carrying another sentAt: each attempt has its own', async () => {
      const event = validEvent()
      expect((await post({ ...event, sentAt: new Date().toISOString() })).status).toBe(201)
      const retry = await post({ ...event, sentAt: new Date(Date.now() + 5000).toISOString() })
      expect(retry.status).toBe(200)
      expect(await retry.json()).toEqual({ eventId: event.eventId, stored: 'duplicate' })
    })

    it('accepts beacons sent as text/plain;charset=UTF-8', async () => {
      expect((await post(validEvent(), { type: 'text/plain;charset=UTF-8' })).status).toBe(201)
    })

    it.each([
      ['a malformed field', { eventId: 'abc' }, 'eventId'],
      ['necessary off', { categories: { necessary: false, analytics: true } }, 'categories'],
      ['reject_all granting marketing', { action: 'reject_all', categories: { necessary: true, marketing: true } }, 'categories'],
      ['a category the site does not have', { categories: { necessary: true, ads: true } }, 'categories'],
      ['a timestamp dated tomorrow', { timestamp: new Date(Date.now() + 86_400_000).toISOString() }, 'timestamp'],
    ])('refuses %s with 400 { error, field }, storing nothing', async (_name, over, field) => {
      const before = await stored()
      const res = await post(validEvent(over))
      expect(res.status).toBe(400)
      const body = await res.json()
      expect(body.field).toBe(field)
      expect(body.error).toContain(field)
      expect(await stored()).toBe(before)
    })

    it.each([
      ['not JSON', '{"eventId":'],
      ['a JSON array', '[1,2]'],
      ['JSON null', 'null'],
      ['an empty body', ''],
      ['a __proto__ key', JSON.stringify(validEvent()).replace(/^\{/, '{"__proto__":{"isAdmin":true},')],
    ])('refuses a body that is %s with 400', async (_name, body) => {
      const before = await stored()
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(Object.keys(await res.json()).sort()).toEqual(['error', 'field'])
      expect(await stored()).toBe(before)
    })

    it('refuses invalid UTF-8 with 400', async () => {
      const res = await fetch(`${base}/api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) })
      expect(res.status).toBe(400)
    })

    it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'application/json; charset=latin1'])(
      'refuses Content-Type %s with 415', async (type) => {
        const res = await post(validEvent(), { type })
        expect(res.status).toBe(415)
        expect((await res.json()).error).toMatch(/Content-Type/)
      })

    it('refuses a huge body with 413, whether announced by Content-Length or streamed in chunks', async () => {
      const before = await stored()
      expect((await post(validEvent({ policyVersion: 'x'.repeat(40_000) }))).status).toBe(413)
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = request(`${base}/api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
        req.on('error', reject)
        for (let i = 0; i < 40; i++) req.write('x'.repeat(1024))
        req.end()
      })
      expect(chunked).toBe(413)
      expect(await stored()).toBe(before)
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
    })

    it('answers other methods with 405 and an Allow header', async () => {
      const res = await fetch(`${base}/api/consent`, { method: 'PUT', body: '{}' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toContain('POST')
    })
  })

  describe('CORS and Host', () => {
    it('answers the preflight of a configured origin, without credentials unless configured', async () => {
      const res = await fetch(`${base}/api/consent`, {
        method: 'OPTIONS',
        headers: { Origin: SITE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-site' },
      })
      expect(res.status).toBe(204)
      expect(res.headers.get('access-control-allow-origin')).toBe(SITE)
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-site')
      const withCredentials = await another({ origins: [SITE], credentials: true })
      const res2 = await fetch(`${withCredentials}/api/consent`, { method: 'OPTIONS', headers: { Origin: SITE } })
      expect(res2.headers.get('access-control-allow-credentials')).toBe('true')
    })

    it('refuses a page on another origin: no post stored, no history read', async () => {
      const before = await stored()
      const event = validEvent()
      const res = await post(event, { headers: { Origin: 'https://evil.example' } })
      expect(res.status).toBe(403)
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect((await res.json()).error).toContain('--origin https://evil.example')
      expect(await stored()).toBe(before)
      const read = await fetch(`${base}/api/consent/${event.consentId}`, { headers: { Origin: 'https://evil.example' } })
      expect(read.status).toBe(403)
      expect((await fetch(`${base}/api/consent`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } })).status).toBe(403)
    })

    it('lets a configured origin read Retry-After and the answer of a post', async () => {
      const res = await post(validEvent(), { headers: { Origin: SITE } })
      expect(res.status).toBe(201)
      expect(res.headers.get('access-control-allow-origin')).toBe(SITE)
      expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After')
    })

    it('with origin "*" answers any origin, never with credentials', async () => {
      const open = await another({ origins: ['*'] })
      const res = await post(validEvent(), { to: open, headers: { Origin: 'https://shop.example' } })
      expect(res.status).toBe(201)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    })

    it('answers 421 to a Host not on the allow-list (DNS rebinding)', async () => {
      const guarded = await another({ hosts: ['consent.minopio.example'] })
      const status = (host: string) => new Promise<number>((resolve, reject) => {
        request(`${guarded}/healthz`, { headers: { Host: host } }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        }).on('error', reject).end()
      })
      expect(await status('rebound.attacker.example')).toBe(421)
      expect(await status('consent.minopio.example:443')).toBe(200)
    })
  })

  describe('GET /api/consent/:consentId (the visitor\'s right of access)', () => {
    it('returns that visitor\'s events only, in the order received, as sent plus receivedAt', async () => {
      const consentId = crypto.randomUUID()
      const first = validEvent({ consentId, timestamp: new Date(Date.now() + 60_000).toISOString(), action: 'accept_all', previous: null })
      const later = validEvent({ consentId, timestamp: new Date(Date.now() - 60_000).toISOString(), action: 'custom' })
      await post(first)
      await post(later)
      await post(validEvent())
      const res = await fetch(`${base}/api/consent/${consentId}`)
      const body = await res.json()
      expect(body.events.map((e: { action: string }) => e.action)).toEqual(['accept_all', 'custom'])
      const { receivedAt, ...back } = body.events[0]
      expect(back).toEqual(first)
      expect(Date.parse(receivedAt)).toBeGreaterThan(0)
    })

    it('answers an unknown visitor with an empty history and a malformed id with 400', async () => {
      expect((await (await fetch(`${base}/api/consent/${crypto.randomUUID()}`)).json()).events).toEqual([])
      expect((await fetch(`${base}/api/consent/not-a-uuid`)).status).toBe(400)
    })
  })

  describe('rate limits', () => {
    it('answers 429 with Retry-After once a client IP has spent its burst, and stores nothing more', async () => {
      const limited = await another({ rateLimits: { ipRate: 0.5, ipBurst: 3 } })
      const statuses = []
      for (let i = 0; i < 5; i++) statuses.push((await post(validEvent(), { to: limited })).status)
      expect(statuses).toEqual([201, 201, 201, 429, 429])
      const res = await post(validEvent(), { to: limited })
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect((await fetch(`${limited}/api/consent/${crypto.randomUUID()}`)).status).toBe(429)
    })

    it('limits one consent id, however many addresses post or read for it', async () => {
      const limited = await another({ rateLimits: { consentRate: 0.1, consentBurst: 2 } })
      const consentId = crypto.randomUUID()
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push((await post(validEvent({ consentId }), { to: limited })).status)
      expect(statuses).toEqual([201, 201, 429])
      expect((await fetch(`${limited}/api/consent/${consentId}`)).status).toBe(429)
      expect((await post(validEvent(), { to: limited })).status).toBe(201)
    })
  })

  describe('operations', () => {
    it('answers /healthz, and /readyz only while the database answers', async () => {
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' })
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
      const other = await startCollector({ store: await openStore(database.db), checkpointMinutes: 0 })
      await other.collector.store.close()
      expect((await fetch(`${other.url}/readyz`)).status).toBe(503)
      await new Promise((done) => other.server.close(done))
    })

    it('counts stored, duplicate and refused events for Prometheus', async () => {
      const event = validEvent()
      await post(event)
      await post(event)
      await post('nope')
      const text = await (await fetch(`${base}/metrics`)).text()
      expect(text).toMatch(/^minopio_collector_events_stored_total [1-9]\d*$/m)
      expect(text).toMatch(/^minopio_collector_events_duplicate_total [1-9]\d*$/m)
      expect(text).toMatch(/^minopio_collector_requests_rejected_total\{reason="not_json",status="400"\} [1-9]\d*$/m)
      expect(text).toMatch(/^minopio_collector_request_duration_seconds_count \d+$/m)
    })

    it('logs one JSON line per request with the route, never the visitor\'s id or address', async () => {
      const lines: Array<Record<string, unknown>> = []
      const logged = await another({ logger: (level, fields) => lines.push({ level, ...fields }) })
      const event = validEvent()
      await post(event, { to: logged })
      await fetch(`${logged}/api/consent/${event.consentId}`)
      expect(lines.filter((l) => l.msg === 'request')).toEqual([
        { level: 'info', msg: 'request', method: 'POST', route: '/api/consent', status: 201, ms: expect.any(Number) },
        { level: 'info', msg: 'request', method: 'GET', route: '/api/consent/:id', status: 200, ms: expect.any(Number) },
      ])
      expect(JSON.stringify(lines)).not.toContain(event.consentId)
    })

    it('keeps one metrics series for every unknown field a client invents', async () => {
      const unknown = async () => {
        const text = await (await fetch(`${base}/metrics`)).text()
        expect(text).not.toMatch(/x[123]/)
        return Number(/^minopio_collector_requests_rejected_total\{reason="unknown_field",status="400"\} (\d+)$/m.exec(text)?.[1] ?? 0)
      }
      const before = await unknown()
      for (const key of ['x1', 'x2', 'x3']) expect((await post(validEvent({ [key]: 1 }))).status).toBe(400)
      expect(await unknown()).toBe(before + 3)
    })

    it('lets one visitor flush a full outbox (200 events) at once under the default limits', async () => {
      const defaults = await another({})
      const consentId = crypto.randomUUID()
      const statuses: number[] = []
      // As fast as an outbox flushes (it sends one at a time); ten at once to keep the test short.
      for (let i = 0; i < 20; i++) {
        statuses.push(...await Promise.all(Array.from({ length: 10 }, () => post(validEvent({ consentId }), { to: defaults }).then((r) => r.status))))
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(200)
    })
  })

  describe('operator endpoints', () => {
    it('do not exist without --admin-token', async () => {
      const open = await another({})
      expect((await fetch(`${open}/admin`, { headers: { Authorization: 'Bearer anything' } })).status).toBe(404)
    })

    it.each([['no token', {}], ['a wrong token', { Authorization: 'Bearer wrong' }], ['a wrong Basic password', { Authorization: `Basic ${btoa('admin:nope')}` }]])(
      'answer 401 to %s and show nothing', async (_name, headers) => {
        for (const path of ['/admin', '/admin/export']) {
          const res = await fetch(`${base}${path}`, { headers })
          expect(res.status).toBe(401)
          expect(res.headers.get('www-authenticate')).toContain('Basic')
          expect(await res.text()).not.toContain('consentId":"')
        }
        expect((await fetch(`${base}/admin/erase/${crypto.randomUUID()}`, { method: 'POST', headers })).status).toBe(401)
      })

    it('show the log with every visitor-supplied text escaped, under a strict CSP that forbids framing', async () => {
      const event = validEvent({ policyVersion: '<script>alert(1)</script>', page: 'https://www.minopio.example/%3Cimg%20src=x%20onerror=alert(1)%3E' })
      expect((await post(event)).status).toBe(201)
      const res = await fetch(`${base}/admin`, { headers: { Authorization: `Basic ${btoa(`operator:${TOKEN}`)}` } })
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain(event.eventId)
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
      expect(html).not.toContain('<script>alert(1)')
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/)
      expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    })

    it('export one visitor as NDJSON and a date range as CSV, formulas defused', async () => {
      const consentId = crypto.randomUUID()
      const events = [validEvent({ consentId, policyVersion: '=HYPERLINK("http://evil")' }), validEvent({ consentId })]
      for (const e of events) await post(e)
      const ndjson = await (await admin(`/admin/export?consentId=${consentId}`)).text()
      expect(ndjson.trim().split('\n').map((l) => JSON.parse(l).event)).toEqual(events)
      const from = new Date(Date.now() - 60_000).toISOString()
      const res = await admin(`/admin/export?format=csv&from=${from}`)
      expect(res.headers.get('content-type')).toContain('text/csv')
      const csv = await res.text()
      expect(csv.split('\r\n')[0]).toMatch(/^receivedAt,eventId,consentId,/)
      expect(csv).toContain(events[1].eventId)
      expect(csv).toContain('"\'=HYPERLINK(""http://evil"")"')
      expect((await admin('/admin/export?from=someday')).status).toBe(400)
      expect((await admin('/admin/export?format=xml')).status).toBe(400)
    })

    it('erase a visitor: the history keeps tombstones with the time of erasure, nothing of the events', async () => {
      const consentId = crypto.randomUUID()
      const event = validEvent({ consentId })
      await post(event)
      const res = await admin(`/admin/erase/${consentId}`, { method: 'POST' })
      expect(await res.json()).toEqual({ consentId, erased: 1 })
      const history = await (await fetch(`${base}/api/consent/${consentId}`)).json()
      expect(history.events).toEqual([{ erasedAt: expect.any(String), receivedAt: expect.any(String) }])
      expect((await post(event)).status).toBe(200) // an old outbox resending it does not bring it back
      expect((await admin('/admin/erase/nope', { method: 'POST' })).status).toBe(400)
      expect((await admin(`/admin/erase/${consentId}`)).status).toBe(405)
    })
  })

  it('answers unknown paths 404 in JSON', async () => {
    const res = await fetch(`${base}/index.html`)
    expect(res.status).toBe(404)
    expect((await res.json()).error).toMatch(/not found/)
  })
})
