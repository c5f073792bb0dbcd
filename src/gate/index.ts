import type { ConsentContext } from '../context'
import type { TagKind, TagReport } from '../types'
import { intercept } from './intercept'
import type { SetAttr } from './markup'
import { CONSENT_ATTR, LOADERS, RULE_ATTR, URL_ATTRS, hashCode, reveal, urlAttrs } from './markup'
import { guardNetwork } from './network'
import type { Judge } from './network'
import { createRegistry } from './registry'
import { createScriptRelease } from './script-release'
import type { TagInput } from './registry'
import { createMatcher } from '../rule-matcher'
import { serviceCategories } from '../config'

/** The running gate: its registry and the "Load once" release. */
export interface Gate {
  /** Every gated tag and refused request so far, in order of discovery. */
  audit(): TagReport[]
  /** Releases one held tag for this page view only, storing no consent. */
  loadOnce(tagId: number): void
  /** Whether a tag gated by the category or service ran (was released) in this page view: executed code cannot be unloaded. */
  ran(id: string): boolean
  /** Whether a newer gate took over the page. */
  stale(): boolean
  /** Stops this gate (`destroy()`): its observers and listener end, its patches pass everything through. */
  stop(): void
}

// The newest gate owns the page: an older one (a second createConsent, hot reload) stops deciding and
// only passes calls down the chain of patched setters.
let live = 0
// Elements that fire no load event of their own: handing them the URL is as far as the gate follows them.
const SILENT = /^(source|video|audio|embed)$/
// A same-origin child window's elements are no instances of this window's classes: the tag name tells an HTML element.
const isScript = (el: Element) => el.tagName == 'SCRIPT'

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
  // Service id → category id: `data-consent` and rules may name either.
  const svc = serviceCategories(config.categories)
  // What each tag waits for, by tag id: category and service ids, all to be granted.
  const wants: string[][] = []
  const any = Object.keys(svc).length
  for (const r of config.rules) if (r.service && !(r.service in svc)) warnOnce(`rules: unknown service "${r.service}", its tags stay blocked`)
  const match = createMatcher(config.rules)
  const reg = createRegistry(stores.$tags)
  const { list, mark } = reg
  const waiting = new Map<number, (id: number) => void>()
  // seen: checked already; mine: released by this gate, so its own `src` writes pass.
  const seen = new WeakSet<Element>()
  const mine = new WeakSet<Element>()
  // The URL a `src` setter just let through: the observer need not match it again when the element is inserted.
  const clear = new WeakMap<Element, string>()
  // The gate's own writes (a released URL, held form) go past interception.
  const sa: SetAttr = Element.prototype.setAttribute

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
    return config.valid && s.reason != 'loading' && cats.every((c) => (c in svc ? s.services : s.categories)[c] === true)
  }
  // The categories a tag or request waits for, and its URL: markup wins over rules; else the first URL a rule
  // holds (of a srcset, any candidate). An unknown category can never be granted, so its tag stays blocked.
  const need = (el: Element | null, v?: string | null, a?: string): [string[], string | null] | undefined => {
    const m = el && (el.getAttribute(CONSENT_ATTR) ?? el.getAttribute(RULE_ATTR))
    const urls = v == null ? [] : a == 'srcset' ? v.trim().split(/[\s,]+/) : [v]
    if (m == null) {
      if (config.rules.length) {
        for (const u of urls) {
          const h = href(u)
          const c = h && match(h)
          if (c) return [[c], h]
        }
      }
      return
    }
    const cats = m.trim().split(/\s+/)
    for (const c of cats) if (!ids.includes(c) && !(c in svc)) warnOnce(`${CONSENT_ATTR}="${m}": unknown category${any ? ' or service' : ''} "${c}" (have: ${[...ids, ...Object.keys(svc)]}), the tag stays blocked`)
    return [cats, urls.length ? href(urls[0]) : null]
  }
  // What an element waits for, and whether it is in held form already (a text/plain script, URLs in data-*).
  const judge = (el: Element): [string[], string | null, 1?] | undefined => {
    const plain = isScript(el) && (el as HTMLScriptElement).type == 'text/plain'
    const marked = el.hasAttribute(CONSENT_ATTR) || el.hasAttribute(RULE_ATTR)
    if (marked) {
      if (plain) return [...need(el, el.getAttribute('src'))!, 1]
      for (const a of URL_ATTRS) {
        const v = el.getAttribute('data-' + a)
        if (v != null) return [...need(el, v, a)!, 1]
      }
    }
    if (plain || !(marked || LOADERS.has(el.localName))) return
    const c = clear.get(el)
    for (const a of urlAttrs(el)) {
      const v = el.getAttribute(a)
      const r = v != null && v !== c && need(el, v, a)
      if (r) return r
    }
  }
  // Puts an element in held form: what markup would have been, plus the rule's categories in RULE_ATTR.
  const hide = (el: Element, cats: string[]) => {
    if (isScript(el)) {
      const s = el as HTMLScriptElement
      if (s.type) sa.call(el, 'data-type', s.type)
      s.type = 'text/plain'
    } else {
      for (const a of urlAttrs(el)) {
        const v = el.getAttribute(a)
        if (v == null) continue
        sa.call(el, 'data-' + a, v)
        // Navigating to about:blank cancels an iframe navigation already under way; removing src would not.
        el.tagName == 'IFRAME' && a == 'src' ? sa.call(el, a, 'about:blank') : el.removeAttribute(a)
      }
    }
    if (!el.hasAttribute(CONSENT_ATTR)) sa.call(el, RULE_ATTR, cats.join(' '))
  }
  // A report names the categories (a service's own, for a service) and the services a tag waits for.
  const names = (needs: string[]) => ({
    categories: [...new Set(needs.map((c) => svc[c] ?? c))],
    services: needs.filter((c) => c in svc),
  })
  const tag = (el: Element, url: string | null, needs: string[]) => ({
    kind: el.localName as TagKind, url, ...names(needs), via: el.hasAttribute(CONSENT_ATTR) ? 'markup' : 'rule', element: el, _needs: needs,
  } as TagInput & { _needs: string[] })
  const watch = (el: Element, id: number, then?: () => void) => {
    for (const t of ['load', 'error']) {
      el.addEventListener(t, () => {
        // A released script is a new element: the report points at the live one.
        mark(id, t == 'load' ? 'loaded' : 'error', { element: el })
        then?.()
      })
    }
  }
  const loads = (el: Element, id: number) => (SILENT.test(el.localName) ? mark(id, 'loaded') : watch(el, id))
  const release = (id: number, once?: boolean) => {
    const go = waiting.get(id)
    if (!go) return
    waiting.delete(id)
    mark(id, 'released', once ? { once } : undefined)
    go(id)
  }
  const add = ({ _needs, ...t }: TagInput & { _needs: string[] }, go: (id: number) => void) => {
    const id = reg.add(t)
    wants[id] = _needs
    waiting.set(id, go)
    if (ok(_needs)) release(id)
  }
  const run = createScriptRelease(sa, seen, watch, mark)

  const check = (el: Element) => {
    if (stale() || seen.has(el)) return
    const j = judge(el)
    if (!j) return
    seen.add(el)
    const [cats, url, held] = j
    const script = isScript(el)
    const t = tag(el, url, cats)
    if (script && !el.hasAttribute('src')) {
      const code = el.textContent!
      t.hash = hashCode(code)
      t.snippet = code.trim().replace(/\s+/g, ' ').slice(0, 80)
    }
    if (!held) {
      if (ok(cats)) return add(t, (id) => watch(el, id))
      hide(el, cats)
    }
    add(t, script ? run(el as HTMLScriptElement) : (id) => {
      loads(el, id)
      reveal(el, sa)
    })
  }

  const hold = (el: Element, a: string, v: string, set: (this: Element, v: string) => void) => {
    if (stale() || mine.has(el)) return
    const r = need(el, v, a)
    if (!r) return void clear.set(el, v)
    add(tag(el, r[1], r[0]), (id) => {
      mine.add(el)
      seen.add(el)
      loads(el, id)
      set.call(el, v)
    })
    return true
  }
  // A tag in an HTML string: held form when a rule holds it and its categories are not granted.
  const stash = (el: Element, runs?: boolean) => {
    // Where scripts never run (innerHTML…) the browser neither fetches nor runs a script: it is left exactly as written,
    // so page code that copies its attributes into a new script (an "activate scripts" helper) gets a real one, which
    // the src setter then holds until consent.
    if (!runs && isScript(el)) return
    const j = !stale() && judge(el)
    if (!j || j[2] || ok(j[0])) return
    hide(el, j[0])
    return true
  }

  // Resolves once the stored consent is read (or at once, when it is).
  let read: Promise<unknown> | undefined
  const whenRead = () => (read ??= new Promise((done) => {
    const stop = $consent.listen((s) => {
      if (s.reason != 'loading') done(stop())
    })
  }))
  const judgeRequest: Judge = (kind, url) => {
    const r = !stale() && need(null, url as string)
    if (!r || ok(r[0])) return 'go'
    if (config.valid && $consent.get().reason == 'loading') return whenRead().then(() => judgeRequest(kind, url) as 'go' | 'refuse')
    reg.add({ kind, url: r[1], ...names(r[0]), via: 'rule' })
    return 'refuse'
  }
  // Every window interception reaches (the page, a same-origin child) gets its requests guarded too.
  const unobserve = intercept({ hold, check, stash, stale, inert: (el) => void seen.add(el), realm: (w) => guardNetwork(judgeRequest, w) })
  const unlisten = $consent.listen(() => {
    if (!stale()) for (const [id] of waiting) if (ok(wants[id])) release(id)
  })
  return {
    audit: () => list.slice(),
    loadOnce: (id) => release(id, true),
    ran: (c) => list.some((t) => wants[t.id]?.includes(c) && (t.state == 'released' || t.state == 'loaded')),
    stale,
    stop() {
      if (me == live) live++
      unobserve()
      unlisten()
    },
  }
}
