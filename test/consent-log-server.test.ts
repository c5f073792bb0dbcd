// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs demo server
import { createConsentLog } from '../demo/consent-log-server.mjs'

type Log = { handle(req: unknown, res: unknown): Promise<boolean>; db: { prepare(sql: string): { get(...a: unknown[]): any } }; close(): void }

let dir: string
let log: Log
let server: Server
let base: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'consent-log-'))
  log = createConsentLog({ file: join(dir, 'nested', 'consent.sqlite') })
  server = createServer(async (req, res) => {
    if (!(await log.handle(req, res))) {
      res.writeHead(404)
      res.end('site')
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  await new Promise((done) => server.close(done))
  log.close()
  rmSync(dir, { recursive: true, force: true })
})

const stored = () => log.db.prepare('SELECT COUNT(*) AS n FROM consent_events').get().n as number

const validEvent = (over: Record<string, unknown> = {}) => ({
  eventId: crypto.randomUUID(),
  consentId: crypto.randomUUID(),
  timestamp: '2026-11-28T12:00:00.000Z',
  action: 'custom',
  source: 'preferences',
  categories: { necessary: true, analytics: true, marketing: false, partners: false },
  previous: { necessary: true, analytics: false, marketing: false, partners: false },
  policyVersion: '2024-05',
  language: 'fr',
  page: 'https://www.minopio.example/shop/shoes',
  gpc: false,
  sdkVersion: '1.0.0',
  shown: { texts: 'a'.repeat(64), lang: 'fr' },
  ...over,
})

const post = (body: unknown, type = 'application/json') =>
  fetch(`${base}/api/consent`, { method: 'POST', headers: { 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) })

describe('POST /api/consent', () => {
  it('stores a valid event (201) and answers a retried one 200 without storing it twice', async () => {
    const before = stored()
    const event = validEvent()
    expect((await post(event)).status).toBe(201)
    const again = await post(event)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ eventId: event.eventId, stored: 'duplicate' })
    expect(stored()).toBe(before + 1)
  })

  it('accepts beacons sent as text/plain;charset=UTF-8', async () => {
    expect((await post(validEvent(), 'text/plain;charset=UTF-8')).status).toBe(201)
  })

  it('accepts a first decision (previous null) made through the API (shown null)', async () => {
    expect((await post(validEvent({ previous: null, shown: null, source: 'api', action: 'accept_all' }))).status).toBe(201)
  })

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['eventId missing', { eventId: undefined }, 'eventId'],
    ['eventId not a UUID', { eventId: 'abc' }, 'eventId'],
    ['eventId a UUIDv1', { eventId: 'c232ab00-9414-11ec-b3c8-9f68deced846' }, 'eventId'],
    ['eventId a number', { eventId: 42 }, 'eventId'],
    ['consentId uppercase', { consentId: crypto.randomUUID().toUpperCase() }, 'consentId'],
    ['timestamp not ISO', { timestamp: 'yesterday' }, 'timestamp'],
    ['timestamp an impossible date', { timestamp: '2026-02-30T12:00:00.000Z' }, 'timestamp'],
    ['timestamp a number', { timestamp: 1764331200000 }, 'timestamp'],
    ['unknown action', { action: 'accept_some' }, 'action'],
    ['unknown source', { source: 'email' }, 'source'],
    ['categories an array', { categories: ['analytics'] }, 'categories'],
    ['categories with a string value', { categories: { analytics: 'yes' } }, 'categories'],
    ['categories empty', { categories: {} }, 'categories'],
    ['categories with a bad id', { categories: { 'Ads<>': true } }, 'categories'],
    ['previous a boolean', { previous: false }, 'previous'],
    ['previous with a number value', { previous: { analytics: 1 } }, 'previous'],
    ['policyVersion empty', { policyVersion: '' }, 'policyVersion'],
    ['policyVersion a number', { policyVersion: 2024 }, 'policyVersion'],
    ['language not a tag', { language: 'french!' }, 'language'],
    ['page with a query string', { page: 'https://www.minopio.example/shop?email=a@b.c' }, 'page'],
    ['page with a fragment', { page: 'https://www.minopio.example/shop#token' }, 'page'],
    ['page with credentials', { page: 'https://user:pw@www.minopio.example/shop' }, 'page'],
    ['page not http(s)', { page: 'javascript:alert(1)' }, 'page'],
    ['page relative', { page: '/shop' }, 'page'],
    ['gpc a string', { gpc: 'false' }, 'gpc'],
    ['sdkVersion not a version', { sdkVersion: 'latest' }, 'sdkVersion'],
    ['shown.texts not 64 hex', { shown: { texts: 'abc', lang: 'fr' } }, 'shown'],
    ['shown with an extra key', { shown: { texts: 'a'.repeat(64), lang: 'fr', html: '<b>' } }, 'shown'],
    ['shown a string', { shown: 'a'.repeat(64) }, 'shown'],
    ['an unknown field', { email: 'a@b.c' }, 'email'],
  ]
  it.each(bad)('refuses %s with 400 naming the field, storing nothing', async (_name, over, field) => {
    const before = stored()
    const event = validEvent(over)
    const res = await post(event)
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.field).toBe(field)
    expect(body.error).toContain(field)
    expect(stored()).toBe(before)
  })

  it.each([
    ['not JSON', '{"eventId":'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['an empty body', ''],
  ])('refuses a body that is %s with 400', async (_name, body) => {
    const before = stored()
    const res = await post(body)
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/JSON/)
    expect(stored()).toBe(before)
  })

  it('refuses invalid UTF-8 with 400', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])
    const res = await fetch(`${base}/api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: bytes })
    expect(res.status).toBe(400)
  })

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'application/json; charset=latin1'])(
    'refuses Content-Type %s with 415', async (type) => {
      const before = stored()
      expect((await post(validEvent(), type)).status).toBe(415)
      expect(stored()).toBe(before)
    })

  it('refuses a request without Content-Type with 415', async () => {
    const res = await fetch(`${base}/api/consent`, { method: 'POST', body: new Blob([JSON.stringify(validEvent())]) })
    expect(res.status).toBe(415)
  })

  it('refuses a huge body with 413, whether announced by Content-Length or streamed in chunks', async () => {
    const before = stored()
    const huge = validEvent({ policyVersion: 'x'.repeat(40_000) })
    expect((await post(huge)).status).toBe(413)
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
    expect(stored()).toBe(before)
  })

  it('answers other methods on the endpoint with 405', async () => {
    const res = await fetch(`${base}/api/consent`, { method: 'PUT', body: '{}' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toContain('POST')
  })
})

describe('CORS for sites on another origin', () => {
  it('answers the preflight of a JSON post with custom headers and credentials', async () => {
    const res = await fetch(`${base}/api/consent`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-site' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-site')
  })

  it('lets the page read Retry-After and the answer of a post', async () => {
    const res = await fetch(`${base}/api/consent`, {
      method: 'POST', headers: { Origin: 'https://shop.example', 'Content-Type': 'application/json' }, body: JSON.stringify(validEvent()),
    })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })
})

describe('GET /api/consent/:consentId (the visitor\'s right of access)', () => {
  it('returns that visitor\'s events only, oldest first, as they were sent', async () => {
    const consentId = crypto.randomUUID()
    const later = validEvent({ consentId, timestamp: '2026-11-29T08:00:00.000Z', action: 'withdraw' })
    const first = validEvent({ consentId, timestamp: '2026-11-28T08:00:00.000Z', action: 'accept_all', previous: null })
    await post(later)
    await post(first)
    await post(validEvent())
    const res = await fetch(`${base}/api/consent/${consentId}`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.consentId).toBe(consentId)
    expect(body.events.map((e: { action: string }) => e.action)).toEqual(['accept_all', 'withdraw'])
    const { receivedAt, ...back } = body.events[0]
    expect(back).toEqual(first)
    expect(Date.parse(receivedAt)).toBeGreaterThan(0)
  })

  it('answers an unknown visitor with an empty history and a malformed id with 400', async () => {
    expect((await (await fetch(`${base}/api/consent/${crypto.randomUUID()}`)).json()).events).toEqual([])
    expect((await fetch(`${base}/api/consent/not-a-uuid`)).status).toBe(400)
  })
})

describe('GET /admin', () => {
  it('lists the log as an HTML table with every text escaped', async () => {
    const event = validEvent({ policyVersion: '<script>alert(1)</script>' })
    await post(event)
    const res = await fetch(`${base}/admin`)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('<table>')
    expect(html).toContain(event.eventId)
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(html).not.toContain('<script>alert(1)')
    const json = await (await fetch(`${base}/admin.json`)).json()
    expect(json.total).toBe(stored())
    expect(json.events[0].eventId).toBe(event.eventId)
  })

  it('leaves other paths to the site', async () => {
    const res = await fetch(`${base}/index.html`)
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('site')
  })
})

describe('the SQLite file', () => {
  it('is created with its folder, in WAL mode, with eventId unique', () => {
    expect(log.db.prepare('PRAGMA journal_mode').get().journal_mode).toBe('wal')
    const sql = log.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'consent_events'").get().sql as string
    expect(sql).toMatch(/event_id TEXT NOT NULL UNIQUE/)
  })
})
