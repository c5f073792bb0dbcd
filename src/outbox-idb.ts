// Where the outbox keeps entries when localStorage cannot take them (full, or throwing): the SDK's key database,
// under the same item names. Values are the same sealed strings, so nothing readable lands in either store.
import { DB_STORE, openDb, request } from './crypto'

async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T>): Promise<T> {
  const db = await openDb()
  try {
    return await work(db.transaction(DB_STORE, mode).objectStore(DB_STORE))
  } finally {
    db.close()
  }
}

/**
 * Every item whose name starts with `prefix`, by name; empty when IndexedDB is unavailable.
 * @param prefix the outbox's item prefix
 */
export async function idbItems(prefix: string): Promise<Map<string, string>> {
  if (typeof indexedDB === 'undefined') return new Map()
  const range = IDBKeyRange.bound(prefix, prefix + '\uffff')
  // One transaction: names and values of the same moment.
  const [names, values] = await inStore('readonly', (s) => Promise.all([request(s.getAllKeys(range)), request(s.getAll(range))]))
  return new Map(names.map((n, i) => [String(n), String(values[i])]))
}

/** Writes one item; rejects when IndexedDB is unavailable or refuses it. */
export const idbSet = (name: string, value: string): Promise<unknown> => inStore('readwrite', (s) => request(s.put(value, name)))

/** Removes one item; never rejects. */
export const idbDel = (name: string): Promise<unknown> => inStore('readwrite', (s) => request(s.delete(name))).catch(() => undefined)
