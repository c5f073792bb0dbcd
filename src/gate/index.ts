import type { ConsentContext } from '../context'
import type { TagKind, TagReport } from '../types'
import { intercept } from './intercept'
import type { SetAttr } from './intercept'
import { CONSENT_ATTR, MARKUP, hashCode, recreate, reveal } from './markup'
import { guardNetwork } from './network'
import { createRegistry } from './registry'
import type { TagInput } from './registry'
import { startRevoke } from './revoke'
import { createMatcher } from './rules'

/** The running gate: its registry and the "Load once" release. */
export interface Gate {
  /** Every gated tag and refused request so far, in order of discovery. */
  audit(): TagReport[]
  /** Releases one held tag for this page view only, storing no consent. */
  loadOnce(tagId: number): void
}

// The newest gate owns the page: an older one (a second createConsent, hot reload) stops deciding and
// only passes calls down the chain of patched setters.
let live = 0

/**
 * Starts the gate: installs every interception synchronously, then releases held tags whenever `$consent`
 * grants all their categories (never while the stored consent is still being read, never on an invalid config).
 * @param ctx SDK context
 * @returns the registry reader and the "Load once" release
 * @example
 * const gate = startGate(ctx) // first thing in <head>: nothing gated can run from here on
 * gate.audit().filter((t) => t.state === 'blocked')
 */
export function startGate(ctx: ConsentContext): Gate {
  const me = ++live
  const { config, stores, warnOnce } = ctx
  const { $consent } = stores
  const ids = config.categories.map((c) => c.id)
  const match = createMatcher(config.rules)
  const reg = createRegistry(stores.$tags)
  const { list, mark } = reg
  const waiting = new Map<number, (id: number) => void>()
  // seen: checked already; mine: released by this gate, so its own `src` writes pass.
  const seen = new WeakSet<Element>()
  const mine = new WeakSet<Element>()
  // The URL a `src` setter just let through: the observer need not match it again when the element is inserted.
  const clear = new WeakMap<Element, string>()
  let chain = Promise.resolve()
  let sa: SetAttr

  const stale = () => me != live
  const href = (v: unknown) => {
    try {
      return new URL(v as string, document.baseURI).href
    } catch {
      return null
    }
  }
  const ok = (cats: string[]) => {
    const s = $consent.get()
    return config.valid && s.reason != 'loading' && cats.every((c) => s.categories[c] === true)
  }
  // Markup wins over rules; an unknown category can never be granted, so its tag stays blocked.
  const need = (el: Element | null, url?: unknown) => {
    const m = el?.getAttribute(CONSENT_ATTR)
    if (m == null) {
      const u = url != null && config.rules.length ? href(url) : null
      const c = u && match(u)
      return c ? [c] : undefined
    }
    const cats = m.trim().split(/\s+/)
    for (const c of cats) if (!ids.includes(c)) warnOnce(`${CONSENT_ATTR}="${m}": unknown category "${c}" (have: ${ids}), the tag stays blocked`)
    return cats
  }
  const tag = (el: Element, url: string | null, categories: string[]): TagInput => ({
    kind: el.localName as TagKind, url, categories, via: el.hasAttribute(CONSENT_ATTR) ? 'markup' : 'rule', element: el,
  })
  const watch = (el: Element, id: number, then?: () => void) => {
    for (const t of ['load', 'error']) {
      el.addEventListener(t, () => {
        mark(id, t == 'load' ? 'loaded' : 'error')
        then?.()
      })
    }
  }
  const release = (id: number, once?: boolean) => {
    const go = waiting.get(id)
    if (!go) return
    waiting.delete(id)
    mark(id, 'released', once)
    go(id)
  }
  const add = (t: TagInput, go: (id: number) => void) => {
    const id = reg.add(t)
    waiting.set(id, go)
    if (ok(t.categories)) release(id)
  }
  // Held scripts run one at a time in discovery (= document) order: an external one holds the line until it
  // loaded or failed, so inline code after a library finds it.
  const run = (old: HTMLScriptElement) => (id: number) => {
    chain = chain.then(() => new Promise<void>((done) => {
      const s = recreate(old, sa)
      seen.add(s)
      const external = s.hasAttribute('src')
      if (external) watch(s, id, done)
      old.parentNode ? old.replaceWith(s) : document.head.append(s)
      if (!external) {
        mark(id, 'loaded')
        done()
      }
    }))
  }

  const check = (el: Element, fromHtml?: boolean) => {
    if (stale() || seen.has(el)) return
    const script = el instanceof HTMLScriptElement
    if (fromHtml && script) return void seen.add(el)
    const src = el.getAttribute('src')
    if (src != null && clear.get(el) === src) return
    const m = el.getAttribute(CONSENT_ATTR)
    const ds = el.getAttribute('data-src')
    // A text/plain script without our attribute is someone else's: never run it.
    const plain = script && el.type == 'text/plain'
    const markup = m != null && (script ? plain : ds != null)
    const cats = markup ? need(el) : !plain && src != null && (script || m != null || el instanceof HTMLImageElement || el instanceof HTMLIFrameElement) && need(el, src)
    if (!cats) return
    seen.add(el)
    const url = markup && !script ? ds! : src
    const t = tag(el, url && href(url), cats)
    if (script && !src) {
      const code = el.text
      t.hash = hashCode(code)
      t.snippet = code.trim().replace(/\s+/g, ' ').slice(0, 80)
    }
    if (!markup && ok(cats)) return add(t, (id) => watch(el, id))
    if (!markup) {
      if (script) {
        if (el.type) sa.call(el, 'data-type', el.type)
        el.type = 'text/plain'
      } else {
        sa.call(el, 'data-src', url!)
        // Navigating to about:blank cancels an iframe navigation already under way; removing src would not.
        el instanceof HTMLIFrameElement ? sa.call(el, 'src', 'about:blank') : el.removeAttribute('src')
      }
    }
    add(t, script ? run(el) : (id) => {
      watch(el, id)
      reveal(el, url!, sa)
    })
  }

  const hold = (el: Element, url: string, set: (this: Element, url: string) => void) => {
    if (stale() || mine.has(el)) return
    const cats = need(el, url)
    if (!cats) return void clear.set(el, url)
    add(tag(el, href(url), cats), (id) => {
      mine.add(el)
      seen.add(el)
      watch(el, id)
      set.call(el, url)
    })
    return true
  }

  sa = intercept({ hold, check })
  guardNetwork((kind, url) => {
    const cats = !stale() && need(null, url)
    if (!cats || ok(cats)) return
    reg.add({ kind, url: href(url), categories: cats, via: 'rule' })
    return true
  })
  $consent.listen(() => {
    if (!stale()) for (const [id] of waiting) if (ok(list[id].categories)) release(id)
  })
  startRevoke(ctx, (c) => list.some((t) => t.categories.includes(c) && (t.state == 'released' || t.state == 'loaded')), stale)
  for (const el of document.querySelectorAll(MARKUP)) check(el)
  return {
    audit: () => list.slice(),
    loadOnce: (id) => release(id, true),
  }
}
