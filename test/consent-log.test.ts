import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent, hashTexts, SDK_VERSION } from '../src/index'
import type { ConsentApi, ConsentConfig } from '../src/index'
import { LOG_MAX_PAGE, LOG_MAX_POLICY_VERSION } from '../src/log-limits'
import { createConsentLog } from './consent-log-collector.mjs'

// A real consent-log server on 127.0.0.1; `faults` decide how the next POSTs fail before it sees them.
type Fault = 'down' | 'hold' | number | [number, Record<string, string>, string?]
type Row = { event_id: string; consent_id: string; action: string; categories: string }
let dir: string
let log: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>; db: { prepare(sql: string): { all(...a: unknown[]): Row[] } }; close(): void }
let server: Server
let endpoint: string
let faults: Fault[] = []
let outage = false
let posts: Array<{ at: number; type: string; site: string | undefined; id: string }> = []
let held: Array<() => void> = []
/** Actions whose events the endpoint answers 500 however often they come. */
let poisoned = new Set<string>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'consent-log-client-'))
  log = createConsentLog({ file: join(dir, 'consent.sqlite') })
  server = createServer(async (raw, res) => {
    if (raw.method !== 'POST') return void log.handle(raw, res)
    const at = Date.now()
    const chunks: Buffer[] = []
    for await (const chunk of raw) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const req = Object.assign(Readable.from([body]), { headers: raw.headers, url: raw.url, method: raw.method }) as unknown as IncomingMessage
    const event = JSON.parse(body.toString())
    // An attempt an earlier test left in flight still arrives (destroy() stops timers, not requests): each test counts its own page's events.
    if (!event.page.endsWith('/' + cookieName)) return void log.handle(req, res)
    posts.push({ at, type: String(raw.headers['content-type']), site: raw.headers['x-site'] as string | undefined, id: event.eventId })
    const fault = poisoned.has(event.action) ? 500 : faults.shift() ?? (outage ? 'down' : null)
    if (fault === 'down') return void raw.socket.destroy()
    if (fault === 'hold') return void held.push(() => void log.handle(req, res))
    if (fault !== null) {
      const [status, headers, text] = typeof fault === 'number' ? [fault, {}] : fault
      res.writeHead(status, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After', ...headers })
      return void res.end(text)
    }
    void log.handle(req, res)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/consent`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((done) => server.close(done))
  log.close()
  rmSync(dir, { recursive: true, force: true })
})

const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url)
let site = 0
let cookieName = ''
beforeEach(() => {
  // Each test is its own site (cookie, outbox and key slot), although earlier tests' instances are destroyed: an attempt
  // still in flight at destroy() finishes and writes its entry back to that outbox, which a later test must not see.
  cookieName = `site${++site}`
  faults = []
  outage = false
  posts = []
  held = []
  poisoned = new Set()
  setUrl(`http://localhost:3000/${cookieName}`)
})
const running: ConsentApi[] = []
afterEach(() => {
  for (const api of running.splice(0)) api.destroy()
  for (const release of held) release()
  vi.useRealTimers()
})

const start = (config: ConsentConfig = {}) => {
  const api = createConsent({ endpoint, cookieName, endpointHeaders: { 'X-Site': 'minopio' }, ...config })
  running.push(api)
  return api
}
const storedFor = (consentId: string | null) =>
  log.db.prepare('SELECT * FROM consent_events WHERE consent_id = ? ORDER BY seq').all(consentId)
const outboxKeys = () => Object.keys(localStorage).filter((k) => k.startsWith(`${cookieName}:outbox:`))

/** Virtual time under fake timers: moves the clock in small steps and lets real HTTP happen in between. */
async function until(done: () => boolean, limit = 600_000, step = 100) {
  for (let t = 0; !done(); t += step) {
    if (t > limit) throw new Error(`not done after ${limit} virtual ms`)
    await vi.advanceTimersByTimeAsync(step)
    await sleep(2)
  }
}
/** Real waiting (vi.waitFor keeps real timers), generous because other suites may load the machine. */
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 10_000 })
/** The page goes away (its retry timer with it) and the endpoint comes back. */
const leavePage = () => {
  vi.clearAllTimers()
  outage = false
}
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
/** Under the fake clock, with the endpoint down: an event decided and tried twice. */
async function failingTwice() {
  fakeClock()
  outage = true
  const state = await start().acceptAll()
  await until(() => posts.length >= 2)
  return state
}

describe('what the consent log sends', () => {
  it('posts each change once with every field of DESIGN §7, the page without query or fragment', async () => {
    setUrl(`http://localhost:3000/shop/${cookieName}?email=jane@example.com#basket`)
    const api = start({ policyVersion: '2024-05', lang: 'fr' })
    const texts = { bannerTitle: 'Cookies ?', acceptAll: 'Tout accepter' }
    const first = await api.acceptAll({ source: 'banner', shown: { texts, lang: 'fr' } })
    const second = await api.set({ marketing: false })
    await waitFor(() => expect(storedFor(first.consentId)).toHaveLength(2))
    const history = await (await fetch(endpoint + '/' + first.consentId)).json()
    const [a, b] = history.events.map(({ receivedAt: _, ...e }: Record<string, unknown>) => e)
    expect(a).toEqual({
      eventId: first.change!.eventId, consentId: first.consentId, timestamp: new Date(first.updatedAt!).toISOString(),
      action: 'accept_all', source: 'banner',
      categories: { necessary: true, analytics: true, marketing: true, partners: true }, previous: null,
      policyVersion: '2024-05', language: 'fr', page: `http://localhost:3000/shop/${cookieName}`, gpc: false,
      sdkVersion: SDK_VERSION, shown: { texts: await hashTexts(texts), lang: 'fr' },
    })
    expect(b).toMatchObject({
      eventId: second.change!.eventId, action: 'custom', source: 'api', shown: null, language: 'fr',
      categories: { necessary: true, analytics: true, marketing: false, partners: true },
      previous: { necessary: true, analytics: true, marketing: true, partners: true },
    })
    expect(posts.every((p) => p.type === 'application/json' && p.site === 'minopio')).toBe(true)
    await waitFor(() => expect(outboxKeys()).toEqual([]))
  })

  it('keeps the event in the encrypted outbox until the endpoint answers 2xx', async () => {
    faults = ['hold']
    const api = start()
    const state = await api.set({ analytics: true })
    await waitFor(() => expect(held).toHaveLength(1))
    const keys = outboxKeys()
    expect(keys).toEqual([`${cookieName}:outbox:${state.change!.eventId}`])
    const sealed = localStorage.getItem(keys[0])!
    expect(sealed).toMatch(/^1\.[\w-]+\.[\w-]+$/)
    for (const plain of [state.consentId!, 'analytics', 'necessary', 'localhost']) expect(sealed).not.toContain(plain)
    held.shift()!()
    await waitFor(() => expect(outboxKeys()).toEqual([]))
    expect(storedFor(state.consentId)).toHaveLength(1)
  })

  // http://localhost:3000/ is 22 characters: each path puts the 2,048th character where the case says.
  it.each([
    ['plain letters', 'a'.repeat(3000), LOG_MAX_PAGE],
    ['the middle of a percent-escape', `${'a'.repeat(2025)}%20${'b'.repeat(100)}`, LOG_MAX_PAGE - 1],
    ['a segment starting with dots', `${'a'.repeat(2023)}/..more${'b'.repeat(100)}`, LOG_MAX_PAGE - 3],
  ])('cuts a page URL longer than the collector takes (at %s) and still delivers the event', async (_at, path, length) => {
    setUrl(`http://localhost:3000/${path}/${cookieName}`)
    const api = start()
    const state = await api.acceptAll()
    await waitFor(() => expect(storedFor(state.consentId)).toHaveLength(1))
    const page = JSON.parse(String((storedFor(state.consentId)[0] as unknown as { body: string }).body)).page
    expect(page).toHaveLength(length)
    expect(`http://localhost:3000/${path}`.startsWith(page)).toBe(true)
  })

  it('refuses a policyVersion longer than the collector takes: one config error naming the key, nothing logged', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const api = start({ policyVersion: 'v'.repeat(LOG_MAX_POLICY_VERSION + 1) })
    await expect(api.acceptAll()).rejects.toThrow(/config is invalid/)
    await waitFor(() => expect(error.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^\[minopio-consent\] invalid config[^]*policyVersion: expected at most 64 characters \(the consent log refuses longer ones\), got "v{65}"/)]))
    expect(posts).toEqual([])
  })

  it('logs nothing and warns once when no endpoint is configured', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const api = createConsent({ cookieName })
    running.push(api)
    await api.acceptAll()
    await api.rejectAll()
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('no endpoint'))).toHaveLength(1)
    expect(String(warn.mock.calls[0][0])).toMatch(/^\[minopio-consent\]/)
    expect(Object.keys(localStorage).filter((k) => k.startsWith(cookieName + ':'))).toEqual([])
  })
})

describe('retries', () => {
  it('stores an event once after the endpoint failed three times with 503, backing off 1 s, 2 s, 4 s', async () => {
    fakeClock()
    faults = [503, 503, 503]
    const api = start()
    const state = await api.acceptAll()
    await until(() => storedFor(state.consentId).length === 1)
    expect(posts).toHaveLength(4)
    const gaps = posts.slice(1).map((p, i) => p.at - posts[i].at)
    expect(gaps[0]).toBeGreaterThanOrEqual(800)
    expect(gaps[1]).toBeGreaterThanOrEqual(1600)
    expect(gaps[2]).toBeGreaterThanOrEqual(3200)
    await until(() => outboxKeys().length === 0)
  })

  it('waits as long as Retry-After says after a 429, in seconds or as an HTTP date', async () => {
    fakeClock()
    const date = new Date(Date.now() + 30_000).toUTCString()
    faults = [[429, { 'Retry-After': '2' }], [503, { 'Retry-After': date }]]
    const api = start()
    const state = await api.acceptAll()
    await until(() => storedFor(state.consentId).length === 1)
    expect(posts).toHaveLength(3)
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(2000)
    expect(posts[2].at).toBeGreaterThanOrEqual(Date.parse(date))
  })

  it('retries timeouts and network errors, and a 408', async () => {
    fakeClock()
    faults = ['down', 408]
    const api = start()
    const state = await api.acceptAll()
    await until(() => storedFor(state.consentId).length === 1)
    expect(posts).toHaveLength(3)
  })

  it('drops an event the endpoint refuses with a 400 naming a field, saying which, and still delivers later events', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    faults = [[400, { 'Content-Type': 'application/json' }, JSON.stringify({ error: 'language must be a language tag', field: 'language' })]]
    const api = start()
    const refused = await api.acceptAll()
    await waitFor(() => expect(error).toHaveBeenCalled())
    expect(String(error.mock.calls[0][0])).toMatch(/^\[minopio-consent\].*"language".*400/)
    expect(String(error.mock.calls[0][0])).toContain(refused.change!.eventId)
    const later = await api.rejectAll()
    await waitFor(() => expect(storedFor(later.consentId).map((r) => r.event_id)).toEqual([later.change!.eventId]))
    await waitFor(() => expect(outboxKeys()).toEqual([]))
    expect(posts).toHaveLength(2)
  })

  it('retries 401, 403, 404, 409, 425 and a 400 that names no field, and stores the event once', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    fakeClock()
    faults = [404, 401, 403, 425, 409, [400, { 'Content-Type': 'text/html' }, '<h1>Bad Request</h1>']]
    const api = start()
    const state = await api.acceptAll()
    await until(() => storedFor(state.consentId).length === 1)
    expect(posts).toHaveLength(7)
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual([
      `[minopio-consent] consent log event ${state.change!.eventId}: the endpoint holds a different body under this eventId (409); the event is kept and retried`,
    ])
  })

  it('sends without sentAt to a collector that refuses it as an unknown field, and drops nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    faults = [[400, { 'Content-Type': 'application/json' }, JSON.stringify({ error: 'unknown field "sentAt"', field: 'sentAt' })]]
    const api = start()
    const state = await api.acceptAll()
    await waitFor(() => expect(storedFor(state.consentId)).toHaveLength(1))
    expect(posts).toHaveLength(2)
    expect(error).not.toHaveBeenCalled()
  })

  it('drops an event the endpoint refuses as too large (413), naming the limit', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    faults = [413]
    const api = start()
    const state = await api.acceptAll()
    await waitFor(() => expect(error).toHaveBeenCalled())
    expect(String(error.mock.calls[0][0])).toBe(`[minopio-consent] consent log event ${state.change!.eventId} dropped: the endpoint refused it as too large (413; the collector reads at most 16384 bytes)`)
    await waitFor(() => expect(outboxKeys()).toEqual([]))
  })

  it('delivers a later event at once while an earlier one keeps failing with 500', async () => {
    fakeClock()
    const api = start()
    poisoned.add('accept_all')
    await api.acceptAll()
    await until(() => posts.length === 3) // 1 s, then 2 s of backoff: the next try is ~4 s away
    const later = await api.rejectAll()
    // The fake clock stands still: nothing waits for the failing event's backoff.
    await waitFor(() => expect(storedFor(later.consentId).map((r) => r.event_id)).toEqual([later.change!.eventId]))
    expect(posts).toHaveLength(4)
    await waitFor(() => expect(outboxKeys()).toHaveLength(1))
  })

  it('says once, with console.info, that an event has waited more than an hour', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    const state = await failingTwice()
    expect(info).not.toHaveBeenCalled()
    vi.setSystemTime(Date.now() + 61 * 6e4)
    await until(() => info.mock.calls.length > 0)
    await until(() => posts.length >= 5)
    expect(info.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(new RegExp(`^\\[minopio-consent\\] consent log event ${state.change!.eventId} has waited 6\\d min for the endpoint \\(last: a network error or timeout\\)`)),
    ])
  })

  it('sends at once when the browser comes back online instead of waiting out the backoff', async () => {
    fakeClock()
    outage = true
    const api = start()
    const state = await api.acceptAll()
    await until(() => posts.length === 3) // ~1 s then ~2 s of backoff: the next try is ~4 s away
    outage = false
    window.dispatchEvent(new Event('online'))
    await waitFor(() => expect(storedFor(state.consentId)).toHaveLength(1)) // real waiting: the fake clock stands still
    expect(posts).toHaveLength(4)
  })
})

describe('across page loads and tabs', () => {
  it('sends an event on the next page load when the endpoint was down for the whole page view', async () => {
    fakeClock()
    outage = true
    const first = start()
    const state = await first.acceptAll()
    await until(() => posts.length === 2)
    leavePage()
    start() // the next page load of the same site
    await until(() => storedFor(state.consentId).length === 1)
    expect(storedFor(state.consentId)[0].event_id).toBe(state.change!.eventId)
  })

  it('still delivers pending events after forget(), which deletes the cookie key', async () => {
    fakeClock()
    outage = true
    const first = start()
    const accepted = await first.acceptAll()
    vi.advanceTimersByTime(5)
    await first.forget()
    await until(() => posts.length >= 2)
    leavePage()
    start()
    await until(() => storedFor(accepted.consentId).length === 2)
    expect(storedFor(accepted.consentId).map((r) => r.action).sort()).toEqual(['accept_all', 'forget'])
  })

  it('beacons pending events as text/plain when the page is hidden, and keeps them until a fetch gets a 2xx', async () => {
    faults = ['hold']
    const api = start()
    const state = await api.acceptAll()
    await waitFor(() => expect(held).toHaveLength(1))
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new Event('pagehide'))
    delete (document as { visibilityState?: string }).visibilityState
    await waitFor(() => expect(storedFor(state.consentId)).toHaveLength(1))
    expect(posts.map((p) => p.type)).toEqual(['application/json', 'text/plain;charset=UTF-8']) // one beacon, not two
    expect(outboxKeys()).toHaveLength(1)
    held.shift()!()
    await waitFor(() => expect(outboxKeys()).toEqual([]))
    expect(storedFor(state.consentId)).toHaveLength(1)
  })

  it('never has two tabs send the same event: the second waits for the first one\'s lease', async () => {
    fakeClock()
    outage = true
    const first = start()
    const a = await first.acceptAll()
    vi.advanceTimersByTime(5)
    const b = await first.set({ marketing: false })
    await until(() => posts.length >= 2) // both tried once and failed; the first tab is closed
    leavePage()
    posts = []
    faults = ['hold']
    start()
    start() // two tabs open at the same moment
    await until(() => held.length === 1)
    held.shift()!()
    await until(() => storedFor(a.consentId).length === 2)
    await vi.advanceTimersByTimeAsync(60_000) // the second tab's lease check comes and finds nothing left
    await sleep(50)
    expect(posts.map((p) => p.id).sort()).toEqual([a.change!.eventId, b.change!.eventId].sort())
    expect(storedFor(a.consentId)).toHaveLength(2)
  })

  it('drops an event only once it was pending on more than 30 days over more than 30 days, with an error', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const state = await failingTwice()
    const nextDay = async () => {
      const before = posts.length
      vi.setSystemTime(Date.now() + 864e5)
      // The next retry comes within the 60 s cap; each one lists the outbox first, which counts the day.
      await until(() => posts.length > before, 3_600_000, 5_000)
    }
    for (let day = 1; day < 30; day++) await nextDay()
    expect(error).not.toHaveBeenCalled()
    vi.setSystemTime(Date.now() + 864e5)
    outage = false
    await until(() => error.mock.calls.length > 0)
    expect(String(error.mock.calls[0][0])).toMatch(new RegExp(`${state.change!.eventId} dropped: pending on 31 days over more than 30 days`))
    expect(outboxKeys()).toEqual([])
    expect(storedFor(state.consentId)).toEqual([])
  }, 20_000) // 30 simulated days of retries, with earlier tests' instances running: a budget, not an assertion

  /** Decides with the clock `off` ms wrong and the endpoint down, then loads the next page with the clock put right. */
  async function decideWithClockOff(off: number) {
    fakeClock()
    const right = Date.now()
    vi.setSystemTime(right + off)
    outage = true
    const state = await start().acceptAll()
    await until(() => posts.length >= 1)
    leavePage()
    vi.setSystemTime(right)
    start()
    return state
  }

  it('delivers an event decided while the clock ran 40 days behind, after the clock was put right and the page reloaded', async () => {
    const state = await decideWithClockOff(-40 * 864e5)
    await until(() => storedFor(state.consentId).length === 1)
    expect(storedFor(state.consentId)[0].event_id).toBe(state.change!.eventId)
  })

  it('sends at once on the next page load when a retry was scheduled while the clock ran 3 days ahead', async () => {
    const state = await decideWithClockOff(3 * 864e5)
    await until(() => storedFor(state.consentId).length === 1, 2_000) // not 3 days: at once
  })

  it('stops retrying on destroy(), keeping the event in the outbox for the next instance to deliver', async () => {
    fakeClock()
    faults = [503]
    const first = start()
    const state = await first.acceptAll()
    await until(() => posts.length === 1 && vi.getTimerCount() > 0) // the retry is scheduled
    first.destroy()
    expect(vi.getTimerCount()).toBe(0)
    expect(outboxKeys()).toHaveLength(1)
    const next = start()
    await next.ready
    await until(() => storedFor(state.consentId).length === 1)
    expect(posts).toHaveLength(2)
  })

  it('keeps at most 200 events, dropping the oldest with an error', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    fakeClock()
    outage = true
    const first = start()
    const ids = [(await first.acceptAll()).change!.eventId]
    for (let i = 0; i < 201; i++) {
      ids.push((await first.set({ marketing: i % 2 === 0 })).change!.eventId)
      vi.advanceTimersByTime(1)
    }
    await until(() => error.mock.calls.length >= 2)
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual(ids.slice(0, 2).map((id) => `[minopio-consent] consent log event ${id} dropped: outbox full (200 events)`))
    await until(() => outboxKeys().length === 200)
    leavePage()
    start()
    const consentId = first.get().consentId
    await until(() => storedFor(consentId).length === 200)
    expect(storedFor(consentId).map((r) => r.event_id).sort()).toEqual(ids.slice(2).sort())
  }, 30_000) // 202 real encrypt-and-write cycles: a budget, not an assertion
})
