// Waiting for a quiet network, shared by the browser tests and the benchmarks.
//
// Playwright's own `waitForLoadState('networkidle')` hangs intermittently (1.65.1): once `networkidle` has fired, a
// request that starts clears the frame's idle flag, and when it ends the idle timer is not restarted because the
// event is already recorded; the next recalculation (any child frame's lifecycle event: a released iframe loading,
// an <object> frame) then takes `networkidle` away for good. The wait then lasts until the test times out although
// every request has ended. This counts the page's requests itself instead.

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Request} Request */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

/** @type {WeakMap<Page, { open: Set<Request>, changed: Set<() => void> }>} */
const inFlight = new WeakMap()
// Streams that never end by design, left out as Playwright's networkidle leaves them out.
const ENDLESS = new Set(['eventsource', 'websocket'])

/**
 * Counts the requests of a page (all its frames) from now on. Call it before the page's first navigation.
 * @param {Page} page
 */
export function trackRequests(page) {
  /** @type {{ open: Set<Request>, changed: Set<() => void> }} */
  const t = { open: new Set(), changed: new Set() }
  inFlight.set(page, t)
  const notify = () => t.changed.forEach((f) => f())
  page.on('request', (r) => {
    if (ENDLESS.has(r.resourceType())) return
    t.open.add(r)
    notify()
  })
  /** @param {Request} r */
  const end = (r) => t.open.delete(r) && notify()
  page.on('requestfinished', end)
  page.on('requestfailed', end)
}

/**
 * Tracks every page of a context (call it right after creating the context).
 * @param {BrowserContext} context
 */
export const trackContext = (context) => void context.on('page', trackRequests)

/**
 * Resolves once the page has had no request in flight for `ms`: what `networkidle` promises, without its hang.
 * @param {Page} page a page whose requests `trackRequests` / `trackContext` counts
 * @param {number} [ms] how long the network must stay quiet
 * @returns {Promise<void>}
 */
export function networkQuiet(page, ms = 500) {
  const t = inFlight.get(page)
  if (!t) throw new Error('networkQuiet: call trackRequests(page) or trackContext(context) before the page navigates')
  return new Promise((resolve) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer
    const check = () => {
      clearTimeout(timer)
      timer = t.open.size ? undefined : setTimeout(finish, ms)
    }
    const finish = () => {
      t.changed.delete(check)
      resolve()
    }
    t.changed.add(check)
    check()
  })
}
