// One measured run of one variant in headless Chromium: a first visit (time to banner visible), a click on
// "Accept all", then a returning visit (time until every gated tag has run). Times are taken in the page with
// performance.now(), i.e. from navigation start.

import { networkQuiet, trackContext } from '../scripts/network-quiet.mjs'

/**
 * Runs in every page before its own scripts: on each animation frame it looks for the banner's accept button (in
 * Minopio's open shadow root, or in the anchors' DOM) and notes the first frame it is painted visible — non-empty
 * box, not hidden, every ancestor with opacity above 0 (vanilla-cookieconsent fades its banner in).
 */
const BANNER_PROBE = `(() => {
  const find = () => {
    const host = document.getElementById('minopio-consent')
    return (host && host.shadowRoot && host.shadowRoot.querySelector('[data-action="accept-all"]'))
      || document.querySelector('#cc-main .cm [data-role="all"], .orejime-Banner [data-testid="orejime-banner-accept"]')
  }
  const shown = (el) => {
    const box = el.getBoundingClientRect()
    if (!box.width || !box.height || getComputedStyle(el).visibility !== 'visible') return false
    for (let n = el; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
      const s = getComputedStyle(n)
      if (s.display === 'none' || Number(s.opacity) === 0) return false
    }
    return true
  }
  const tick = () => {
    const el = find()
    if (el && shown(el)) window.__bannerAt = performance.now()
    else requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`

/**
 * Where Minopio's returning-visit time goes: notes when `MinopioConsent.ready` resolves (stored consent decrypted,
 * gate applied) by catching the assignment of the global. Only reads; the other variants never set that global.
 */
const READY_PROBE = `(() => {
  let api
  Object.defineProperty(window, 'MinopioConsent', {
    configurable: true, enumerable: true, get: () => api,
    set: (value) => {
      api = value
      if (value && value.ready) value.ready.then(() => { window.__readyAt = performance.now() })
    },
  })
})()`

/**
 * Minopio's returning-visit steps, seen from outside (no byte of the product is spent on timing): when the device
 * key's IndexedDB read succeeded and when AES-GCM decryption resolved, ms from navigation start (first of each).
 */
const STEP_PROBE = `(() => {
  const at = (name) => { if (window[name] === undefined) window[name] = performance.now() }
  const get = IDBObjectStore.prototype.get
  IDBObjectStore.prototype.get = function (...a) {
    const req = get.apply(this, a)
    req.addEventListener('success', () => at('__keyAt'))
    return req
  }
  const decrypt = crypto.subtle.decrypt
  crypto.subtle.decrypt = function (...a) {
    return decrypt.apply(this, a).then((r) => (at('__decryptAt'), r))
  }
})()`

/**
 * Applies the same network conditions to a page: a download throughput cap (latency is added by the servers).
 * @param {import('playwright-core').Page} page
 * @param {number} kbps download throughput in kilobits per second
 */
export async function throttle(page, kbps) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: (kbps * 1000) / 8, uploadThroughput: (kbps * 1000) / 8,
  })
  return cdp
}

/** What the probes and the tags leave on the page's window (cast inline: evaluated callbacks run in the page). */
/** @typedef {Window & { __ran?: [string, number][], __bannerAt?: number, __keyAt?: number, __decryptAt?: number, __readyAt?: number }} ProbedWindow */

/**
 * Main-thread script time of the page so far (Chromium's ScriptDuration metric), in ms.
 * @param {import('playwright-core').CDPSession} cdp
 */
async function scriptMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? NaN) * 1000
}

const tagsRun = (/** @type {number} */ count) => `(window.__ran || []).length >= ${count}`
const lastTag = () => Math.max(...(/** @type {ProbedWindow} */ (window).__ran ?? []).map((r) => r[1]))

/**
 * One run of a consent SDK variant.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, accept: string, cookie: string, tags: number, kbps: number, timeout: number }} v
 * @returns {Promise<{ banner: number, script: number, returning: number, returnStart: number, gateLoaded: number | null, ready: number | null,
 *   keyRead: number | null, decrypted: number | null, released: number | null }>}
 *   `banner`, `returning`: ms from navigation start; `returnStart`: wall-clock ms when the returning visit began (to pick
 *   its requests from a server log); Minopio only, returning visit: `gateLoaded` (gate file received), `ready` (stored
 *   consent applied), `keyRead`, `decrypted`, `released` (first gated tag released), ms from navigation start; `script`: the
 *   first visit's main-thread script time (ms) until the banner showed and the network went idle
 */
export async function runConsentVariant(browser, v) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  trackContext(context)
  try {
    await context.addInitScript(BANNER_PROBE)
    await context.addInitScript(READY_PROBE)
    await context.addInitScript(STEP_PROBE)
    const page = await context.newPage()
    const cdp = await throttle(page, v.kbps)
    await cdp.send('Performance.enable')
    await page.goto(v.url)
    const probe = await page.waitForFunction(() => /** @type {ProbedWindow} */ (window).__bannerAt, null, { timeout: v.timeout, polling: 'raf' })
    const banner = /** @type {number} */ (await probe.jsonValue())
    await networkQuiet(page)
    const script = await scriptMs(cdp)
    await page.click(v.accept, { timeout: v.timeout })
    await page.waitForFunction((name) => document.cookie.split('; ').some((c) => c.startsWith(`${name}=`)), v.cookie, { timeout: v.timeout })
    await page.waitForFunction(tagsRun(v.tags), null, { timeout: v.timeout })
    await networkQuiet(page)
    const returnStart = Date.now()
    await page.goto(v.url)
    await page.waitForFunction(tagsRun(v.tags), null, { timeout: v.timeout })
    const gateAt = (/** @type {string} */ name) =>
      /** @type {PerformanceResourceTiming | undefined} */ (performance.getEntriesByType('resource').find((e) => e.name.endsWith(name)))?.responseEnd ?? null
    const detail = await page.evaluate(gateAt, '/minopio-consent.js')
    const steps = await page.evaluate(() => {
      const released = /** @type {number[] | undefined} */ (window.MinopioConsent?.audit?.().map((t) => t.times.released).filter(Boolean))
      return {
        keyRead: /** @type {ProbedWindow} */ (window).__keyAt ?? null, decrypted: /** @type {ProbedWindow} */ (window).__decryptAt ?? null,
        released: released?.length ? Math.min(...released) - performance.timeOrigin : null,
      }
    })
    return { banner, script, returning: await page.evaluate(lastTag), returnStart, gateLoaded: detail, ready: await page.evaluate(() => /** @type {ProbedWindow} */ (window).__readyAt ?? null), ...steps }
  } finally {
    await context.close()
  }
}

/**
 * One run of the plain page: the same tags as ordinary scripts; a first load, then the measured second load, like
 * the returning visit of the SDK variants.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, tags: number, kbps: number, timeout: number }} v
 * @returns {Promise<{ returning: number }>}
 */
export async function runPlain(browser, v) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    await throttle(page, v.kbps)
    for (const _ of [1, 2]) {
      await page.goto(v.url)
      await page.waitForFunction(tagsRun(v.tags), null, { timeout: v.timeout })
    }
    return { returning: await page.evaluate(lastTag) }
  } finally {
    await context.close()
  }
}
