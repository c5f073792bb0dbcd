import { afterEach, describe, expect, it, vi } from 'vitest'
import { toBase64url } from '../src/crypto'
import { createOutbox } from '../src/outbox'
import type { OutboxEntry } from '../src/outbox'

// A shared key makes a fresh outbox instance read what another one wrote, as a second tab or page load does.
const KEY = toBase64url(crypto.getRandomValues(new Uint8Array(32)))
let n = 0
const site = () => `outbox${++n}`

const entry = (timestamp = new Date().toISOString()): OutboxEntry => ({
  e: {
    eventId: crypto.randomUUID(), consentId: crypto.randomUUID(), timestamp, action: 'accept_all', source: 'banner',
    categories: { necessary: true, marketing: true }, previous: null, policyVersion: '1', language: 'en',
    page: 'http://localhost:3000/', gpc: false, sdkVersion: '1.0.0', shown: null,
  },
  n: 0,
  d: 0,
})
const items = (name: string) => Object.keys(localStorage).filter((k) => k.startsWith(`${name}:outbox:`))

afterEach(() => localStorage.clear())

describe('the outbox', () => {
  it('keeps each event encrypted under its own item, readable by the next page load, oldest first', async () => {
    const name = site()
    const first = createOutbox(name, KEY)
    const late = entry('2026-11-28T12:00:05.000Z')
    const early = entry('2026-11-28T12:00:00.000Z')
    await first.put(late)
    await first.put(early)
    expect(items(name).sort()).toEqual([`${name}:outbox:${late.e.eventId}`, `${name}:outbox:${early.e.eventId}`].sort())
    for (const k of items(name)) expect(localStorage.getItem(k)).not.toContain(late.e.consentId)
    const next = createOutbox(name, KEY)
    expect((await next.list()).map((x) => x.e.eventId)).toEqual([early.e.eventId, late.e.eventId])
  })

  it('drops an altered item, or one copied under another event\'s name, with an error instead of sending it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const name = site()
    const good = entry()
    const tampered = entry()
    const box = createOutbox(name, KEY)
    await box.put(good)
    await box.put(tampered)
    const k = `${name}:outbox:${tampered.e.eventId}`
    const v = localStorage.getItem(k)!
    localStorage.setItem(k, v.slice(0, -2) + (v.endsWith('A') ? 'B' : 'A') + v.slice(-1))
    const copied = crypto.randomUUID()
    localStorage.setItem(`${name}:outbox:${copied}`, localStorage.getItem(`${name}:outbox:${good.e.eventId}`)!)
    const next = createOutbox(name, KEY)
    expect((await next.list()).map((x) => x.e.eventId)).toEqual([good.e.eventId])
    expect(error.mock.calls.map((c) => String(c[0])).sort()).toEqual(
      [tampered.e.eventId, copied].map((id) => `[minopio-consent] consent log event ${id} dropped: unreadable (altered, or copied under another event's name)`).sort())
    expect(items(name)).toEqual([`${name}:outbox:${good.e.eventId}`])
  })

  it('keeps an item sealed with a key this page cannot open, and the tab holding that key still sends it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const name = site()
    const tab1 = createOutbox(name, KEY)
    const x = entry()
    await tab1.put(x)
    // Another tab (or page) whose key is another: without IndexedDB each page has a key of its own.
    const tab2 = createOutbox(name, toBase64url(crypto.getRandomValues(new Uint8Array(32))))
    expect(await tab2.list()).toEqual([])
    expect(items(name)).toEqual([`${name}:outbox:${x.e.eventId}`])
    expect((await tab1.list()).map((y) => y.e.eventId)).toEqual([x.e.eventId])
    expect(error).not.toHaveBeenCalled()
  })

  it('counts items sealed with another key towards the cap of 200, and drops them first when it is reached', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const name = site()
    const other = createOutbox(name, toBase64url(crypto.getRandomValues(new Uint8Array(32))))
    const theirs = entry()
    await other.put(theirs)
    const box = createOutbox(name, KEY)
    const mine = Array.from({ length: 200 }, () => entry())
    await Promise.all(mine.map((x) => box.put(x)))
    expect(await box.list()).toHaveLength(200)
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual([
      `[minopio-consent] consent log event ${theirs.e.eventId} dropped: sealed with another key; outbox full (200 events)`,
    ])
    expect(items(name)).toHaveLength(200)
  })

  it('warns that no key outlives the page, and still finds the event again in this page', async () => {
    const warnings = new Set<string>() // the SDK's warnOnce
    const name = site()
    const box = createOutbox(name, null, (m) => warnings.add(m)) // no IndexedDB here: the device key lives in memory
    await box.put(entry())
    await box.put(entry())
    expect([...warnings]).toEqual([expect.stringContaining('no key outlives this page (IndexedDB unavailable, no encryptionKey)')])
    expect(await createOutbox(name, null).list()).toHaveLength(2)
  })

  it('leaves the outbox of another site (cookie name) alone', async () => {
    const mine = site()
    const theirs = site()
    await createOutbox(theirs, KEY).put(entry())
    expect(await createOutbox(mine, KEY).list()).toEqual([])
    expect(items(theirs)).toHaveLength(1)
  })

  it('forgets an event another tab delivered and removed', async () => {
    const name = site()
    const tab1 = createOutbox(name, KEY)
    const tab2 = createOutbox(name, KEY)
    const x = entry()
    await tab1.put(x)
    expect(await tab2.list()).toHaveLength(1)
    tab2.del(x.e.eventId)
    expect(await tab1.list()).toEqual([])
    expect(tab1.mem.size).toBe(0)
  })

  it('lets one tab flush at a time: without Web Locks a live lease makes the other wait, and is freed after', async () => {
    const name = site()
    const tab1 = createOutbox(name, KEY)
    const tab2 = createOutbox(name, KEY)
    let waited: number | void = undefined
    let ran = 0
    await tab1.lock(async () => {
      waited = await tab2.lock(async () => void ran++)
    })
    expect(waited).toBeGreaterThan(0)
    expect(ran).toBe(0)
    expect(await tab2.lock(async () => void ran++)).toBeUndefined()
    expect(ran).toBe(1)
  })

  it('still holds an event in memory, saying so once, when neither localStorage nor IndexedDB can store it', async () => {
    const warn = vi.fn()
    const name = site()
    const box = createOutbox(name, KEY, warn)
    vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError')
    })
    const x = entry()
    await box.put(x)
    expect(items(name)).toEqual([])
    expect((await box.list()).map((y) => y.e.eventId)).toEqual([x.e.eventId])
    expect(warn.mock.calls).toEqual([[expect.stringContaining('neither localStorage nor IndexedDB can keep the consent-log outbox')]])
  })
})
