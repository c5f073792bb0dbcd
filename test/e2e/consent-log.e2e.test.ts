import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, sitePage, startServer } from './harness'
import type { TestBrowser, TestServer } from './harness'
import { startFaultyConsentLog } from '../consent-log-collector.mjs'
import type { ConsentChange } from '../../src/types'

// The site and the consent-log server are two origins, as on a real site using a log service: CORS included.
type Mode = 'up' | 'fail' | 'hold-json' | 'slow' | number
type Row = { event_id: string; action: string }
type Post = { id: string; type: string; site: string | undefined; action: string; body: string }
let chrome: TestBrowser
let site: TestServer
let dir: string
/** The real collector on its own server, told how to fail (test/consent-log-collector.mjs). */
let log: {
  endpoint: string; faults: { mode: Mode; poison: string | null }; posts: Post[]; overlap: number
  db: { prepare(sql: string): { all(): Row[] } }; reset(): void; close(): Promise<void>
}
let posts: Post[]
let context: BrowserContext
let endpoint: string

beforeAll(async () => {
  chrome = await launchChromium()
  dir = mkdtempSync(join(tmpdir(), 'consent-log-e2e-'))
  log = await startFaultyConsentLog({ file: join(dir, 'consent.sqlite') })
  ;({ endpoint, posts } = log)
  site = await startServer()
  // uiUrl points nowhere: no banner covers the page's own button.
  site.route('/', sitePage(`{ endpoint: '${endpoint}', endpointHeaders: { 'X-Site': 'minopio' }, uiUrl: '/no-ui.js' }`,
    '<button id="accept" onclick="MinopioConsent.acceptAll()">Accept</button><button id="more" onclick="MinopioConsent.set({ marketing: false })">No marketing</button>'))
})
afterAll(async () => {
  await chrome?.close()
  await site?.close()
  await log?.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  log.reset()
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
    const eventId = await page.evaluate(async () => (await new Promise<ConsentChange>((resolve) => {
      const state = window.MinopioConsent.get()
      if (state.change) resolve(state.change)
      else window.MinopioConsent.on('change', (s) => resolve(s.change!))
    })).eventId)
    await page.close()
    const next = await open() // if nothing got out while closing, the outbox is flushed here
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    expect(stored(eventId)[0].action).toBe('accept_all')
    await vi.waitFor(async () => expect(await outbox(next)).toEqual([]), settle)
    expect(posts.filter((p) => p.type === 'application/json').every((p) => p.site === 'minopio')).toBe(true)
  })

  it('beacons pending events as text/plain when the page goes away, and the next page removes them after its 2xx', async () => {
    log.faults.mode = 'hold-json'
    const page = await open()
    await page.click('#accept')
    await vi.waitFor(() => expect(posts).toHaveLength(1), settle)
    const eventId = posts[0].id
    await page.close()
    await vi.waitFor(() => expect(posts.map((p) => p.type)).toContain('text/plain;charset=UTF-8'), settle)
    expect(stored(eventId)).toHaveLength(1)
    log.faults.mode = 'up'
    const next = await open()
    await vi.waitFor(async () => expect(await outbox(next)).toEqual([]), settle)
    expect(stored(eventId)).toHaveLength(1)
  })

  it('sends on the next page load what the endpoint refused with 503 for a whole page view', async () => {
    log.faults.mode = 'fail'
    const page = await open()
    await page.click('#accept')
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    const eventId = posts[0].id
    expect(await outbox(page)).toHaveLength(1)
    await page.reload() // the next page load of the same site
    log.faults.mode = 'up'
    await page.evaluate(() => window.MinopioConsent.ready)
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    await vi.waitFor(async () => expect(await outbox(page)).toEqual([]), settle)
  })

  it('never has two tabs send the same event at the same moment', async () => {
    log.faults.mode = 'fail'
    const first = await open()
    await first.click('#accept')
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    await first.click('#more')
    await vi.waitFor(() => expect(new Set(posts.map((p) => p.id)).size).toBe(2), settle)
    const ids = [...new Set(posts.map((p) => p.id))]
    await first.close()
    // The closing page beacons both events; let those arrive (refused) before the two tabs are watched.
    await vi.waitFor(() => expect(new Set(posts.filter((p) => p.type.startsWith('text/plain')).map((p) => p.id)).size).toBe(2), settle)
    log.faults.mode = 'slow'
    posts.length = 0
    const [a, b] = await Promise.all([open(), open()]) // two tabs load at once, each flushes the outbox first
    await vi.waitFor(() => expect(ids.map((id) => stored(id).length)).toEqual([1, 1]), settle)
    // Both tabs are done once no one holds or waits for the outbox lock.
    await vi.waitFor(async () => {
      const locks = await b.evaluate(() => navigator.locks.query())
      expect([...(locks.held ?? []), ...(locks.pending ?? [])].filter((l) => l.name?.includes(':outbox'))).toEqual([])
    }, settle)
    expect(log.overlap).toBe(1)
    expect(posts.map((p) => p.id).sort(), JSON.stringify(posts)).toEqual([...ids].sort())
    expect(await outbox(a)).toEqual([])
  })
})

/** The decision's eventId, once the click has made one. */
const decided = (page: Page) => page.evaluate(async () => (await new Promise<ConsentChange>((resolve) => {
  const state = window.MinopioConsent.get()
  if (state.change) resolve(state.change)
  else window.MinopioConsent.on('change', (s) => resolve(s.change!))
})).eventId)
const consoleOf = (page: Page) => {
  const lines: string[] = []
  page.on('console', (m) => lines.push(m.text()))
  return lines
}
const DAY = 864e5
/** Init script: `?clock=<ms>` in the page URL shifts this page's clock by that much (a visitor's clock set wrong). */
const SHIFT_CLOCK = () => {
  const off = Number(new URLSearchParams(location.search).get('clock'))
  if (!off) return
  const RealDate = Date
  // @ts-expect-error a Date whose "now" is off
  window.Date = class extends RealDate {
    constructor(...args: []) {
      super(...((args.length ? args : [RealDate.now() + off]) as []))
    }
    static now = () => RealDate.now() + off
  }
}

describe('faults that lose nothing (issue 16)', () => {
  it('keeps an event another tab cannot read when IndexedDB is unavailable: a second tab and its reload leave it, the first tab delivers it', async () => {
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }))
    log.faults.mode = 'fail'
    const first = await open()
    const said = consoleOf(first)
    await first.click('#accept')
    const eventId = await decided(first)
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    const second = await open() // its key lives in its memory: it cannot open the first tab's item
    await second.reload()
    await second.evaluate(() => window.MinopioConsent.ready)
    expect(await outbox(second)).toEqual([`minopio_consent:outbox:${eventId}`])
    log.faults.mode = 'up'
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    await vi.waitFor(async () => expect(await outbox(second)).toEqual([]), settle)
    expect(said.filter((l) => l.includes('no key outlives this page'))).toHaveLength(1)
    // A reload right after the next click: the keepalive fetch or the beacon still gets it out.
    const next = await first.evaluate(() => new Promise<string>((resolve) => {
      window.MinopioConsent.on('change', (s) => resolve(s.change!.eventId))
      document.querySelector<HTMLButtonElement>('#more')!.click()
    }))
    await first.reload()
    await vi.waitFor(() => expect(stored(next)).toHaveLength(1), settle)
    expect(stored(eventId)).toHaveLength(1)
  })

  it('delivers an event through a 404 lasting 5 s (a bad deploy)', async () => {
    log.faults.mode = 404
    const page = await open()
    await page.click('#accept')
    const eventId = await decided(page)
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    await new Promise((done) => setTimeout(done, 5000))
    expect(stored(eventId)).toEqual([])
    log.faults.mode = 'up'
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    await vi.waitFor(async () => expect(await outbox(page)).toEqual([]), settle)
  })

  it('delivers a later event within the backoff of an earlier one that gets 500 forever', async () => {
    log.faults.poison = 'accept_all'
    const page = await open()
    await page.click('#accept')
    const failing = await decided(page)
    await vi.waitFor(() => expect(posts.filter((p) => p.id === failing).length).toBe(3), settle) // next try ~4 s away
    await page.click('#more')
    await vi.waitFor(() => expect(stored(posts.find((p) => p.action === 'custom')?.id ?? '')).toHaveLength(1), settle)
    expect(posts.filter((p) => p.id === failing)).toHaveLength(3)
    expect(stored(failing)).toEqual([])
    expect(await outbox(page)).toEqual([`minopio_consent:outbox:${failing}`])
  })

  it.each([
    ['40 days behind', -40 * DAY],
    ['3 days ahead', 3 * DAY],
  ])('delivers an event decided while the clock ran %s, on the next page load with the clock put right', async (_name, off) => {
    await context.addInitScript(SHIFT_CLOCK)
    log.faults.mode = 'fail'
    const page = await context.newPage()
    await page.goto(site.url(`/?clock=${off}`))
    await page.click('#accept')
    const eventId = await decided(page)
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    await page.goto(site.url('/'))
    log.faults.mode = 'up'
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    const [row] = log.db.prepare(`SELECT body, received_at FROM consent_events WHERE event_id = '${eventId}'`).all() as unknown as Array<{ body: string; received_at: string }>
    expect(Math.round((Date.parse(JSON.parse(row.body).timestamp) - Date.parse(row.received_at)) / DAY)).toBe(off / DAY)
    await vi.waitFor(async () => expect(await outbox(page)).toEqual([]), settle)
  })

  it('keeps the outbox in IndexedDB when localStorage is full, across a reload with the endpoint down, then delivers', async () => {
    log.faults.mode = 'fail'
    const page = await open()
    const said = consoleOf(page)
    await page.evaluate(() => {
      localStorage.clear()
      let chunk = 'x'.repeat(1 << 20)
      for (let i = 0; chunk.length; i++) {
        try {
          localStorage.setItem(`filler${i}`, chunk)
        } catch {
          chunk = chunk.slice(0, chunk.length >> 1)
        }
      }
    })
    await page.click('#accept')
    const eventId = await decided(page)
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    expect(said.filter((l) => l.includes('pending events are kept in IndexedDB'))).toHaveLength(1)
    expect(await outbox(page)).toEqual([])
    await page.reload()
    await page.evaluate(() => window.MinopioConsent.ready)
    const before = posts.length
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(before), settle) // the reloaded page found it
    log.faults.mode = 'up'
    await vi.waitFor(() => expect(stored(eventId)).toHaveLength(1), settle)
    await page.evaluate(() => localStorage.clear())
  })

  it('keeps an event whose eventId a page script used first with another body: 409, an error naming it, still in the outbox', async () => {
    log.faults.mode = 'fail'
    const page = await open()
    const said = consoleOf(page)
    await page.click('#accept')
    const eventId = await decided(page)
    await vi.waitFor(() => expect(posts.length).toBeGreaterThan(0), settle)
    // What a page script listening to minopio:consent could post first: the same eventId, another decision.
    const forged = { ...JSON.parse(posts[0].body), action: 'reject_all', categories: { necessary: true, analytics: false, marketing: false, partners: false } }
    const first = await fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Test': 'pass' }, body: JSON.stringify(forged) })
    expect(first.status).toBe(201)
    expect(stored(eventId)[0].action).toBe('reject_all')
    log.faults.mode = 'up'
    await vi.waitFor(() => expect(said.filter((l) => l.includes(`consent log event ${eventId}: the endpoint holds a different body`))).toHaveLength(1), settle)
    const conflicts = log.db.prepare(`SELECT body FROM consent_conflicts WHERE event_id = '${eventId}'`).all() as unknown as Array<{ body: string }>
    expect(JSON.parse(conflicts[0].body).action).toBe('accept_all')
    expect(await outbox(page)).toEqual([`minopio_consent:outbox:${eventId}`])
  })
})
