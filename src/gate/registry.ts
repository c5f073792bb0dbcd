import type { WritableAtom } from 'nanostores'
import type { TagReport, TagState } from '../types'

/** What a gated element or refused request is, before the registry numbers and times it. */
export type TagInput = Pick<TagReport, 'kind' | 'url' | 'categories' | 'services' | 'via'> & Partial<Pick<TagReport, 'hash' | 'snippet' | 'element'>>

/** The gate's registry: the live list behind `$tags`, and its two writes. */
export interface Registry {
  /** Every report, in order of discovery; `list[id]` is tag `id`. */
  list: TagReport[]
  /** Records a new tag as `blocked`; returns its id. */
  add(tag: TagInput): number
  /** Moves a tag to a new state, stamping the time; `more` sets `once` or the live `element`. */
  mark(id: number, state: TagState, more?: Pick<TagReport, 'once' | 'element'>): void
}

/**
 * Creates the registry. `$tags` gets a fresh array once per microtask, however many tags changed in it,
 * so a page inserting a thousand tags costs one copy, not a thousand.
 * @param $tags the store the UI and `audit()` read
 */
export function createRegistry($tags: WritableAtom<readonly TagReport[]>): Registry {
  const list: TagReport[] = []
  let queued = false
  const touch = () => {
    if (queued) return
    queued = true
    queueMicrotask(() => {
      queued = false
      $tags.set(list.slice())
    })
  }
  return {
    list,
    add(tag) {
      list.push({ hash: null, snippet: null, ...tag, id: list.length, category: tag.categories.join(' '), state: 'blocked', times: { blocked: Date.now() } })
      touch()
      return list.length - 1
    },
    mark(id, state, more) {
      const t = list[id]
      // A new object per change: UI code comparing reports by reference sees what changed.
      list[id] = { ...t, state, times: { ...t.times, [state]: Date.now() }, ...more }
      touch()
    },
  }
}
