import { LOG_PREFIX } from './config'
import type { ConsentLogEvent } from './log-event'
import { LOG_MAX_AGE_DAYS, LOG_MAX_OUTBOX } from './log-limits'
import { open } from './crypto'
import { idbDel, idbItems, idbSet } from './outbox-idb'
import { loadKey, seal } from './seal'
import type { KeyHandle } from './crypto'

/**
 * One undelivered event (persisted, so short keys and never `_`): the event, failed attempts, next attempt (unix ms),
 * when this device stored it (unix ms), on how many days it was seen pending, and the last such day (unix days).
 * `c`, `y` and `l` are missing in entries written before they existed.
 */
export interface OutboxEntry {
  e: ConsentLogEvent
  n: number
  d: number
  c?: number
  y?: number
  l?: number
}

/** The persistent outbox: one encrypted item per event, so tabs never overwrite each other's writes. */
export interface Outbox {
  /** Undelivered events this tab knows of, by eventId: what a beacon sends when the page goes away. */
  mem: Map<string, OutboxEntry>
  /** Writes (or rewrites) an entry; never rejects. */
  put(x: OutboxEntry): Promise<void>
  /** Removes an entry; with a reason, says so in a console error. */
  del(id: string, why?: string): void
  /** Removes a delivered entry, and tells the other tabs so in a way they see at once (call it holding the lock). */
  sent(id: string): Promise<void>
  /** Every undelivered entry, oldest first, after dropping the expired and those over the cap. */
  list(): Promise<OutboxEntry[]>
  /**
   * Runs `work` while no other tab flushes: a Web Lock where available, else a lease in localStorage.
   * @returns milliseconds until another tab's lease ends when it holds one, else `undefined`
   */
  lock(work: (renew: () => void) => Promise<void>): Promise<number | void>
}

const DAY = 864e5
const FULL = `outbox full (${LOG_MAX_OUTBOX} events)`
const PAGE_ONLY = ': consent-log events are sent from this page only, and lost if it is left before the endpoint answers'
const LEASE = 2e4

const prefix = (name: string) => name + ':outbox:'
// Delivered events (id → unix ms) in IndexedDB. Another tab's localStorage may still show an item a moment after this
// tab removed it (Chromium syncs it between processes asynchronously, and the Web Lock does not wait for that); an
// IndexedDB transaction committed before the lock is released is seen by the next holder's.
const sentPrefix = (name: string) => name + ':sent:'
const SENT_KEPT = 6e5
// Set in sessionStorage while entries wait in IndexedDB, so the next page's head script knows without opening it.
const IDB_MARK = 'idb'

/**
 * Whether the outbox holds undelivered events, read from storage item names alone: no key, no decryption, no
 * IndexedDB, so the head script can decide at start-up whether the consent log must load.
 * @param name the consent cookie name
 */
export function pendingEvents(name: string): boolean {
  try {
    for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) if (s.key(i)!.startsWith(prefix(name))) return true
  } catch {
    // Storage blocked: nothing can be pending in it.
  }
  return false
}

/**
 * Opens the outbox of a site. Its key has a slot of its own so `forget()`, which deletes the cookie's key,
 * never makes pending events unreadable. Entries live in localStorage; in IndexedDB when localStorage refuses them;
 * in this page's memory only when neither can keep them or no key outlives the page (one warning each).
 * @param name the consent cookie name (namespace of the storage keys)
 * @param sharedKey the configured `encryptionKey`, or `null` for a device key
 * @param warnOnce prints a prefixed warning once per message
 */
export function createOutbox(name: string, sharedKey: string | null, warnOnce: (message: string) => void = () => undefined): Outbox {
  const pre = prefix(name)
  const leaseKey = name + ':outbox-lease'
  const me = Math.random().toString(36).slice(2)
  const mem = new Map<string, OutboxEntry>()
  // Written to this tab's memory but not (yet) to storage: a missing item then does not mean "delivered by another tab".
  const unsaved = new Set<string>()
  // Entries this tab wrote to IndexedDB: a missing localStorage item does not mean delivered for them either.
  const inIdb = new Set<string>()
  let idbChecked = false
  // Loaded on first need: a returning visitor with an empty outbox never opens IndexedDB for it.
  let keyP: Promise<KeyHandle | null> | undefined
  const key = () => (keyP ??= loadKey(sharedKey, name + ':outbox').catch(() => null))
  let ls: Storage | null = null
  let ss: Storage | null = null
  try {
    ls = localStorage
    ss = sessionStorage
  } catch {
    // Storage blocked: entries go to IndexedDB, or live in memory for this page view.
  }
  const mark = (on: boolean) => {
    try {
      on ? ss?.setItem(pre + IDB_MARK, '1') : ss?.removeItem(pre + IDB_MARK)
    } catch {
      // sessionStorage full: the next page finds the entries when it loads the log for another reason.
    }
  }

  const del = (id: string, why?: string) => {
    mem.delete(id)
    unsaved.delete(id)
    ls?.removeItem(pre + id)
    if (inIdb.delete(id)) void idbDel(pre + id)
    if (why) console.error(`${LOG_PREFIX} consent log event ${id} dropped: ${why}`)
  }

  const renew = () => ls?.setItem(leaseKey, me + ' ' + (Date.now() + LEASE))
  const sentPre = sentPrefix(name)
  // Whether this lock hold has read the other tabs' deliveries yet: within one hold this tab's own view is current.
  let sentRead = false

  const write = async (id: string, sealed: string) => {
    try {
      ls!.setItem(pre + id, sealed)
      return true
    } catch {
      // Quota exceeded or storage throwing: fall through to IndexedDB.
    }
    try {
      await idbSet(pre + id, sealed)
      inIdb.add(id)
      mark(true)
      warnOnce('localStorage refused the consent-log outbox (full or blocked): pending events are kept in IndexedDB')
      return true
    } catch {
      warnOnce('neither localStorage nor IndexedDB can keep the consent-log outbox' + PAGE_ONLY)
      return false
    }
  }

  const put = async (x: OutboxEntry) => {
    const id = x.e.eventId
    mem.set(id, x)
    unsaved.add(id)
    try {
      const k = await key()
      if (!k) return
      // Sealed all the same: this page finds it again, and other tabs keep what they cannot open.
      if (k.temp) warnOnce('no key outlives this page (IndexedDB unavailable, no encryptionKey)' + PAGE_ONLY)
      const sealed = await seal(JSON.stringify(x), k, pre + id)
      // Delivered or rewritten meanwhile: writing now would resurrect a stale entry.
      if (mem.get(id) === x && (await write(id, sealed)) && mem.get(id) === x) unsaved.delete(id)
    } catch {
      // WebCrypto failing: the entry stays in memory only.
    }
  }

  /** Stored items by name: localStorage, plus IndexedDB when something may wait there. */
  const stored = async () => {
    const items = new Map<string, string>()
    for (let i = 0; ls && i < ls.length; i++) {
      const s = ls.key(i)!
      if (s.startsWith(pre) && s !== pre + IDB_MARK) items.set(s, ls.getItem(s)!)
    }
    if (!idbChecked || inIdb.size || ss?.getItem(pre + IDB_MARK)) {
      const more = await idbItems(pre).catch(() => new Map<string, string>())
      if (!more.size && !inIdb.size) mark(false)
      idbChecked = true
      for (const [s, v] of more) if (!items.has(s)) items.set(s, v), inIdb.add(s.slice(pre.length))
    }
    return items
  }

  return {
    mem,
    del,
    put,
    async sent(id) {
      del(id)
      await idbSet(sentPre + id, String(Date.now())).catch(() => undefined)
    },
    async list() {
      const items = await stored()
      if (!items.size && !mem.size) return []
      if (items.size && !sentRead) {
        sentRead = true
        for (const [s, at] of await idbItems(sentPre).catch(() => new Map<string, string>())) {
          const id = s.slice(sentPre.length)
          // Delivered by another tab: this tab's view of localStorage is behind.
          if (items.delete(pre + id)) del(id)
          else if (Date.now() - +at > SENT_KEPT) void idbDel(s)
        }
      }
      const k = await key()
      const foreign: string[] = []
      for (const [s, v] of k ? items : []) {
        const id = s.slice(pre.length)
        if (mem.has(id)) continue
        const plain = await open(v, k!, s)
        let x: OutboxEntry | null = null
        try {
          x = plain && JSON.parse(plain)
        } catch {
          // not ours
        }
        if (x?.e?.eventId === id) mem.set(id, x)
        // Sealed with a key this page cannot open (another tab's or page's key that lived in memory only, a rotated
        // encryptionKey): kept, for whoever holds the key. Only what our own key fails to open is altered.
        else if (v.split('.')[1] === k!.id) del(id, 'unreadable (altered, or copied under another event\'s name)')
        else foreign.push(id)
      }
      // They count towards the cap, and go first: this page cannot tell their age, nor send them.
      while (foreign.length && foreign.length + mem.size > LOG_MAX_OUTBOX) del(foreign.pop()!, 'sealed with another key; ' + FULL)
      for (const id of mem.keys()) if (k && !unsaved.has(id) && !items.has(pre + id)) mem.delete(id) // sent by another tab
      const now = Date.now()
      const today = Math.floor(now / DAY)
      const all = [...mem.values()].sort((a, b) => a.e.timestamp.localeCompare(b.e.timestamp)) // ties keep creation order
      const kept: OutboxEntry[] = []
      for (const [i, x] of all.entries()) {
        // Age counts the days this device saw the entry pending, and the time since it stored it: a clock that was
        // set wrong at the click and fixed since moves the second, never the first, so it cannot expire an event.
        let changed = x.l !== today
        if (changed) (x.l = today), (x.y = (x.y ?? 0) + 1)
        if (!(x.c! <= now)) (x.c = now), (changed = true) // missing, or stored while the clock ran ahead
        const why = x.y! > LOG_MAX_AGE_DAYS && now - x.c! > LOG_MAX_AGE_DAYS * DAY ? `pending on ${x.y} days over more than ${LOG_MAX_AGE_DAYS} days`
          : all.length - i > LOG_MAX_OUTBOX ? FULL : ''
        if (why) del(x.e.eventId, why)
        else {
          kept.push(x)
          if (changed && !unsaved.has(x.e.eventId)) await put(x)
        }
      }
      return kept
    },
    async lock(work) {
      sentRead = false
      const locks = navigator.locks
      if (locks?.request) return void (await locks.request(leaseKey, () => work(() => undefined)))
      const [who, until] = (ls?.getItem(leaseKey) ?? '').split(' ')
      if (who !== me && +until > Date.now()) return +until - Date.now()
      renew()
      try {
        await work(renew)
      } finally {
        ls?.removeItem(leaseKey)
      }
    },
  }
}
