import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, sitePage, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { createConsentLog } from '../consent-log-collector.mjs'

// The site and the consent-log server are two origins, as on a real site using a log service: CORS included.
type Mode = 'up' | 'fail' | 'hold-json' | 'slow'
type Row = { event_id: string; action: string }
let chrome: TestBrowser
let site: TestServer
let dir: string
let log: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>; db: { prepare(sql: string): { all(): Row[] } }; close(): void }
let logServer: Server
let mode: Mode = 'up'
let posts: Array<{ id: string; type: string; site: string | undefined }> = []
let inFlight = new Map<string, number>()
let overlap = 0
let context: BrowserContext

beforeAll(async () => {
  chrome = await launchChromium()
  dir = mkdtempSync(join(tmpdir(), 'consent-log-e2e-'))
  log = createConsentLog({ file: join(dir, 'consent.sqlite') })
  logServer = createServer(async (raw, res) => {
    if (raw.method !== 'POST') return void log.handle(raw, res)
    const chunks: Buffer[] = []
    for await (const chunk of raw) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const id = JSON.parse(body.toString()).eventId as string
    const type = String(raw.headers['content-type'])
    posts.push({ id, type, site: raw.headers['x-site'] as string | undefined })
    if (mode === 'fail') {
      res.writeHead(503, { 'Access-Control-Allow-Origin': raw.headers.origin ?? '*' })
      return void res.end()
    }
    if (mode === 'hold-json' && type === 'application/json') return // never answered
    const now = (inFlight.get(id) ?? 0) + 1
    inFlight.set(id, now)
    overlap = Math.max(overlap, now)
    if (mode === 'slow') await new Promise((done) => setTimeout(done, 300))
    const req = Object.assign(Readable.from([body]), { headers: raw.headers, url: raw.url, method: raw.method })
    await log.handle(req as unknown as IncomingMessage, res)
    inFlight.set(id, inFlight.get(id)! - 1)
  })
  await new Promise<void>((done) => logServer.listen(0, '127.0.0.1', done))
  const endpoint = `http://127.0.0.1:${(logServer.address() as { port: number }).port}/api/consent`
  site = await startServer()
  // uiUrl points nowhere: no banner covers the page's own button.
  site.route('/', sitePage(`{ endpoint: '${endpoint}', endpointHeaders: { 'X-Site': 'minopio' }, uiUrl: '/no-ui.js' }`,
    '<button id="accept" onclick="MinopioConsent.acceptAll()">Accept</button><button id="more" onclick="MinopioConsent.set({ marketing: false })">No marketing</button>'))
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
  logServer?.closeAllConnections()
  await new Promise((done) => logServer?.close(done))
  log?.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  mode = 'up'
  posts = []
  inFlight = new Map()
  overlap = 0
  context = await chrome.newContext()
})
afterEach(async () => {
  await context?.close()
})

const stored = (id: string) => log.db.prepare(`SELECT * FROM consent_events WHERE event_id = '${id}'`).all()
const open = async () => {
  const page = await context.newPage()
  await page.goto(site.url('/'))
  await page.evaluate(() => window.MinopioConsent.ready)
  return page
}
const outbox = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':outbox:')))
const settle = { timeout: 15_000, interval: 50 }

describe('the consent log in Chromium', () => {
  it('gets an event out of a page closed right after the click: by beacon, keepalive fetch or the next page load', async () => {
    const page = await open()
    await page.click('#accept')
    const eventId = await page.evaluate(async () => (await new Promise<{ eventId: string | null }>((resolve) => {
      const state = window.MinopioConsent.get()
      if (state.eventId) resolve(state)
      else window.MinopioConsent.on('change', resolve)
    })).eventId!)
    await page.close()
    const next = await open() // if nothing got out while closing, the outbox is flushed here
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    expect(stored(eventId)[0].action).toBe('accept_all')
    await vi.waitFor(async () => expect(await outbox(next)).toEqual([]), settle)
    expect(posts.filter((p) => p.type === 'application/json').every((p) => p.site === 'minopio')).toBe(true)
  })

  it('beacons pending events as text/plain when the page goes away, and the next page removes them after its 2xx', async () => {
    mode = 'hold-json'
    const page = await open()
    await page.click('#accept')
    await vi.waitFor(() => expect(posts).toHaveLength(1), settle)
    const eventId = posts[0].id
    await page.close()
    await vi.waitFor(() => expect(posts.map((p) => p.type)).toContain('text/plain;charset=UTF-8'), settle)
    expect(stored(eventId)).toHaveLength(1)
    mode = 'up'
    const next = await open()
    await vi.waitFor(async () => expect(await outbox(next)).toEqual([]), settle)
    expect(stored(eventId)).toHaveLength(1)
  })

  it('sends on the next page load what the endpoint refused with 503 for a whole page view', async () => {
    mode = 'fail'
    const page = await open()
    await page.click('#accept')
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    const eventId = posts[0].id
    expect(await outbox(page)).toHaveLength(1)
    await page.reload() // the next page load of the same site
    mode = 'up'
    await page.evaluate(() => window.MinopioConsent.ready)
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    await vi.waitFor(async () => expect(await outbox(page)).toEqual([]), settle)
  })

  it('never has two tabs send the same event at the same moment', async () => {
    mode = 'fail'
    const first = await open()
    await first.click('#accept')
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    await first.click('#more')
    await vi.waitFor(() => expect(new Set(posts.map((p) => p.id)).size).toBe(2), settle)
    const ids = [...new Set(posts.map((p) => p.id))]
    await first.close()
    // The closing page beacons both events; let those arrive (refused) before the two tabs are watched.
    await vi.waitFor(() => expect(new Set(posts.filter((p) => p.type.startsWith('text/plain')).map((p) => p.id)).size).toBe(2), settle)
    mode = 'slow'
    posts = []
    const [a, b] = await Promise.all([open(), open()]) // two tabs load at once, each flushes the outbox first
    await vi.waitFor(() => expect(ids.map((id) => stored(id).length)).toEqual([1, 1]), settle)
    // Both tabs are done once no one holds or waits for the outbox lock.
    await vi.waitFor(async () => {
      const locks = await b.evaluate(() => navigator.locks.query())
      expect([...(locks.held ?? []), ...(locks.pending ?? [])].filter((l) => l.name?.includes(':outbox'))).toEqual([])
    }, settle)
    expect(overlap).toBe(1)
    expect(posts.map((p) => p.id).sort(), JSON.stringify(posts)).toEqual([...ids].sort())
    expect(await outbox(a)).toEqual([])
  })
})
