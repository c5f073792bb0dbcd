import type { ConsentContext } from '../context'
import type { TagKind, TagReport } from '../types'
import { createWaitsFor, judge } from './classify'
import { hide, reveal } from './held-form'
import { intercept } from './intercept'
import type { SetAttr } from './markup'
import { CONSENT_ATTR, hashCode, isScript } from './markup'
import { guardNetwork } from './network'
import type { Judge } from './network'
import { createRegistry } from './registry'
import { createScriptRelease } from './script-release'
import type { TagInput } from './registry'
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
const SILENT = /^(source|video|audio|embed|feImage)$/

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
  // Service id → category id: `data-consent` and rules may name either.
  const svc = serviceCategories(config.categories)
  // What each tag waits for, by tag id: category and service ids, all to be granted.
  const wants: string[][] = []
  for (const r of config.rules) if (r.service && !(r.service in svc)) warnOnce(`rules: unknown service "${r.service}", its tags stay blocked`)
  const reg = createRegistry(stores.$tags)
  const { list, mark } = reg
  const waiting = new Map<number, (id: number) => void>()
  const judged = new WeakSet<Element>()
  const releasedByGate = new WeakSet<Element>()
  const passedUrl = new WeakMap<Element, string>()
  const waitsFor = createWaitsFor(config, svc, warnOnce)
  // The gate's own writes (a released URL, held form) go past interception.
  const setAttr: SetAttr = Element.prototype.setAttribute

  const stale = () => me != live
  const ok = (cats: string[]) => {
    const s = $consent.get()
    return config.valid && s.reason != 'loading' && cats.every((c) => (c in svc ? s.services : s.categories)[c] === true)
  }
  // A report names the categories (a service's own, for a service) and the services a tag waits for.
  const names = (needs: string[]) => ({
    categories: [...new Set(needs.map((c) => svc[c] ?? c))],
    services: needs.filter((c) => c in svc),
  })
  const tag = (el: Element, url: string | null, needs: string[]) => ({
    kind: (/image$/i.test(el.localName) ? 'img' : el.localName) as TagKind, url, ...names(needs), via: el.hasAttribute(CONSENT_ATTR) ? 'markup' : 'rule', element: el, _needs: needs,
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
  const run = createScriptRelease(setAttr, judged, watch, mark)

  const check = (el: Element) => {
    if (stale() || judged.has(el)) return
    const j = judge(el, waitsFor, passedUrl)
    if (!j) return
    judged.add(el)
    const { _needs, _url, _held } = j
    const script = isScript(el)
    const t = tag(el, _url, _needs)
    if (script && !el.hasAttribute('src')) {
      const code = el.textContent!
      t.hash = hashCode(code)
      t.snippet = code.trim().replace(/\s+/g, ' ').slice(0, 80)
    }
    if (!_held) {
      if (ok(_needs)) return add(t, (id) => watch(el, id))
      hide(el, _needs, setAttr)
    }
    add(t, script ? run(el as HTMLScriptElement) : (id) => {
      loads(el, id)
      reveal(el, setAttr)
    })
  }

  const hold = (el: Element, a: string, v: string, set: (this: Element, v: string) => void) => {
    // The gate's own write of a URL it released passes.
    if (stale() || releasedByGate.has(el)) return
    const w = waitsFor(el, v, a)
    if (!w) return void passedUrl.set(el, v)
    add(tag(el, w._url, w._needs), (id) => {
      releasedByGate.add(el)
      judged.add(el)
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
    const j = !stale() && judge(el, waitsFor, passedUrl)
    if (!j || j._held || ok(j._needs)) return
    hide(el, j._needs, setAttr)
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
    const w = !stale() && waitsFor(null, url as string)
    if (!w || ok(w._needs)) return 'go'
    if (config.valid && $consent.get().reason == 'loading') return whenRead().then(() => judgeRequest(kind, url) as 'go' | 'refuse')
    reg.add({ kind, url: w._url, ...names(w._needs), via: 'rule' })
    return 'refuse'
  }
  // Every window interception reaches (the page, a same-origin child) gets its requests guarded too.
  const unobserve = intercept({ hold, check, stash, stale, inert: (el) => void judged.add(el), realm: (w) => guardNetwork(judgeRequest, w) })
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
