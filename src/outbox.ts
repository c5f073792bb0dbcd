import { LOG_PREFIX } from './config'
import type { ConsentLogEvent } from './consent-log'
import { open } from './crypto'
import { loadKey, seal } from './seal'
import type { KeyHandle } from './crypto'

/** One undelivered event (persisted, so short keys and never `_`): the event, failed attempts, next attempt (unix ms). */
export interface OutboxEntry {
  e: ConsentLogEvent
  n: number
  d: number
}

/** The persistent outbox: one encrypted localStorage item per event, so tabs never overwrite each other's writes. */
export interface Outbox {
  /** Undelivered events this tab knows of, by eventId: what a beacon sends when the page goes away. */
  mem: Map<string, OutboxEntry>
  /** Writes (or rewrites) an entry; never rejects. */
  put(x: OutboxEntry): Promise<void>
  /** Removes an entry; with a reason, says so in a console error. */
  del(id: string, why?: string): void
  /** Every undelivered entry, oldest first, after dropping the expired and those over the cap. */
  list(): Promise<OutboxEntry[]>
  /**
   * Runs `work` while no other tab flushes: a Web Lock where available, else a lease in localStorage.
   * @returns milliseconds until another tab's lease ends when it holds one, else `undefined`
   */
  lock(work: (renew: () => void) => Promise<void>): Promise<number | void>
}

const MAX_AGE = 30 * 864e5
const CAP = 200
const LEASE = 2e4

const prefix = (name: string) => name + ':outbox:'

/**
 * Whether the outbox holds undelivered events, read from the storage item names alone: no key, no decryption, so the
 * head script can decide at start-up whether the consent log must load.
 * @param name the consent cookie name
 */
export function pendingEvents(name: string): boolean {
  try {
    for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)!.startsWith(prefix(name))) return true
  } catch {
    // Storage blocked: nothing can be pending in it.
  }
  return false
}

/**
 * Opens the outbox of a site. Its key has a slot of its own so `forget()`, which deletes the cookie's key,
 * never makes pending events unreadable.
 * @param name the consent cookie name (namespace of the storage keys)
 * @param sharedKey the configured `encryptionKey`, or `null` for a device key
 */
export function createOutbox(name: string, sharedKey: string | null): Outbox {
  const pre = prefix(name)
  const leaseKey = name + ':outbox-lease'
  const me = Math.random().toString(36).slice(2)
  const mem = new Map<string, OutboxEntry>()
  // Written to this tab's memory but not (yet) to storage: a missing item then does not mean "delivered by another tab".
  const unsaved = new Set<string>()
  // Loaded on first need: a returning visitor with an empty outbox never opens IndexedDB for it.
  let keyP: Promise<KeyHandle | null> | undefined
  const key = () => (keyP ??= loadKey(sharedKey, name + ':outbox').catch(() => null))
  let ls: Storage | null = null
  try {
    ls = localStorage
  } catch {
    // Storage blocked: events live in memory for this page view and are still sent.
  }

  const del = (id: string, why?: string) => {
    mem.delete(id)
    unsaved.delete(id)
    ls?.removeItem(pre + id)
    if (why) console.error(`${LOG_PREFIX} consent log event ${id} dropped: ${why}`)
  }

  const renew = () => ls?.setItem(leaseKey, me + ' ' + (Date.now() + LEASE))

  return {
    mem,
    del,
    async put(x) {
      const id = x.e.eventId
      mem.set(id, x)
      unsaved.add(id)
      try {
        const k = await key()
        const sealed = k && ls && (await seal(JSON.stringify(x), k, pre + id))
        // Delivered or rewritten meanwhile: writing now would resurrect a stale entry.
        if (sealed && mem.get(id) === x) {
          ls!.setItem(pre + id, sealed)
          unsaved.delete(id)
        }
      } catch {
        // Quota exceeded: the entry stays in memory only.
      }
    },
    async list() {
      const names: string[] = []
      for (let i = 0; ls && i < ls.length; i++) if (ls.key(i)!.startsWith(pre)) names.push(ls.key(i)!)
      if (!names.length && !mem.size) return []
      const k = await key()
      if (!k) names.length = 0
      for (const s of names) {
        const id = s.slice(pre.length)
        if (!s.startsWith(pre) || mem.has(id)) continue
        const v = ls!.getItem(s)
        if (!v) continue
        const plain = await open(v, k!, s)
        let x: OutboxEntry | null = null
        try {
          x = plain && JSON.parse(plain)
        } catch {
          // not ours
        }
        if (x?.e?.eventId === id) mem.set(id, x)
        else del(id, 'unreadable (another key)')
      }
      for (const id of mem.keys()) if (ls && k && !unsaved.has(id) && ls.getItem(pre + id) === null) mem.delete(id) // sent by another tab
      const all = [...mem.values()].sort((a, b) => a.e.timestamp.localeCompare(b.e.timestamp)) // ties keep creation order
      const old = Date.now() - MAX_AGE
      return all.filter((x, i) => {
        const why = Date.parse(x.e.timestamp) < old ? 'older than 30 days' : all.length - i > CAP ? `outbox full (${CAP} events)` : ''
        if (why) del(x.e.eventId, why)
        return !why
      })
    },
    async lock(work) {
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
