// One visit of one page in a fresh browser context: load, optionally decide through the banner, record everything.
import { beforeConsent } from './classify.mjs'
import { ruleCategory } from './fixes.mjs'
import { isAllowed, isThirdParty, isThirdPartyDomain } from './party.mjs'

/** @typedef {import('./types.mjs').VisitName} VisitName */
/** @typedef {import('./types.mjs').Phase} Phase */
/** @typedef {import('./types.mjs').ScanOptions} ScanOptions */

const ACTIONS = { reject: 'reject-all', accept: 'accept-all' }
// The gate and its deferred chunks (write, debug, UI, languages).
const SDK_FILE = /\/minopio-consent(-[\w-]+)?(\.min)?\.js$/
const isSdk = (/** @type {string} */ url) => SDK_FILE.test(url.split(/[?#]/)[0])

/**
 * What the page's SDK says about itself; `null` without the SDK. Runs in the page.
 * @param {number} ms how long to wait for `ready`
 */
const readSdk = (ms) => {
  const api = /** @type {any} */ (window).MinopioConsent
  if (!api || typeof api.audit !== 'function') return null
  const c = api.config ?? {}
  const info = {
    version: String(api.version ?? '?'), policyVersion: String(c.policyVersion ?? '?'),
    cookieName: String(c.cookieName ?? 'minopio_consent'), endpoint: c.endpoint ?? null, uiUrl: c.uiUrl ?? null,
    categories: (c.categories ?? []).map((/** @type {any} */ x) => ({
      id: x.id, required: !!x.required,
      services: (x.services ?? []).filter((/** @type {any} */ s) => s.id).map((/** @type {any} */ s) => ({ id: s.id, name: typeof s.name == 'string' ? s.name : s.name?.en ?? Object.values(s.name ?? {})[0] ?? s.id, provider: s.provider ?? null })),
    })),
    // RegExps survive the trip (playwright serialises them): the scanner runs them through the gate's matcher.
    rules: (c.rules ?? []).map((/** @type {any} */ r) => (r.service ? { match: r.match, service: r.service } : { match: r.match, category: r.category })),
  }
  return Promise.race([
    Promise.resolve(api.ready).then(() => ({ ...info, ready: true }), () => ({ ...info, ready: false })),
    new Promise((done) => setTimeout(() => done({ ...info, ready: false }), ms)),
  ])
}

/** The gate's report, without the DOM elements. Runs in the page. */
const readAudit = () => {
  const api = /** @type {any} */ (window).MinopioConsent
  return api && typeof api.audit === 'function' ? api.audit().map((/** @type {any} */ { element, ...tag }) => ({ ...tag })) : null
}

/**
 * Who asked for a request (CDP `Network.Initiator`): the first frame of the call stack that is not the consent SDK.
 * The gate wraps `src` setters, `fetch` and friends, so its file is on top of every stack of a tag it released;
 * a request with nothing but SDK frames is the gate inserting a released tag (`released`).
 * @param {any} init
 */
function initiatorOf(init) {
  let url = init?.url && !isSdk(init.url) ? init.url : null
  let sdkOnly = !!init?.url && !url
  for (let s = init?.stack; !url && s; s = s.parent) {
    for (const f of s.callFrames ?? []) {
      if (!f.url) continue
      if (!isSdk(f.url)) {
        url = f.url
        break
      }
      sdkOnly = true
    }
  }
  return { type: url || !sdkOnly ? String(init?.type ?? 'other') : 'released', url }
}

/**
 * A cookie's lifetime in words: `session`, or the largest whole unit left (`1 year`, `30 days`, `2 hours`).
 * @param {number | null} expires unix seconds; `null` or negative: a session cookie
 * @param {number} now unix seconds
 */
export function lifetime(expires, now) {
  if (expires === null || expires < 0) return 'session'
  const s = Math.max(0, expires - now)
  for (const [unit, n] of /** @type {const} */ ([['year', 31536000], ['day', 86400], ['hour', 3600], ['minute', 60]])) {
    if (s >= n) return `${Math.round(s / n)} ${unit}${Math.round(s / n) === 1 ? '' : 's'}`
  }
  return `${s} seconds`
}

/** @param {string} line a `Set-Cookie` header value; @param {string} from the response URL */
function parseSetCookie(line, from) {
  const name = line.split(';', 1)[0].split('=', 1)[0].trim()
  const domain = /;\s*domain\s*=\s*([^;]+)/i.exec(line)?.[1].trim().replace(/^\./, '') ?? new URL(from).hostname
  const maxAge = /;\s*max-age\s*=\s*(-?\d+)/i.exec(line)?.[1]
  const date = /;\s*expires\s*=\s*([^;]+)/i.exec(line)?.[1]
  // RFC 6265 §5.3: Max-Age wins over Expires; neither makes a session cookie.
  const expires = maxAge !== undefined ? Date.now() / 1000 + Number(maxAge) : date && !Number.isNaN(Date.parse(date)) ? Date.parse(date) / 1000 : null
  return { name, domain, expires }
}

/** @param {Error} error */
const firstLine = (error) => String(error?.message ?? error).split('\n')[0].replace(/^page\.\w+: /, '')

/**
 * Visits a page once in a fresh context (own cookies and storage) and records third-party requests, cookies and
 * the gate's audit. For `reject` / `accept` it clicks the banner button through the shadow root, waits for the
 * decision to be stored, and reloads like a returning visitor.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {VisitName} name
 * @param {ScanOptions} options
 * @returns {Promise<{ report: import('./types.mjs').VisitReport, sdk: any, problems: string[], links: string[] }>}
 */
export async function visit(browser, url, name, options) {
  const context = await browser.newContext()
  const page = await context.newPage()
  /** @type {Phase} */
  let phase = 'load'
  /** @type {{ url: string, method: string, type: string, phase: Phase }[]} */
  const seen = []
  /** @type {Map<string, { type: string, url: string | null }[]>} */
  const initiators = new Map()
  /** @type {{ name: string, domain: string, expires: number | null, setBy: string, from: string, phase: Phase }[]} */
  const headerCookies = []
  /** @type {Promise<void>[]} */
  const pending = []
  /** @type {string[]} */
  const problems = []
  const report = /** @type {import('./types.mjs').VisitReport} */ ({
    visit: name, error: null, status: null, decidedBy: null, reloaded: false, firstPartyRequests: 0,
    requests: [], cookies: [], audit: null,
  })
  let sdk = null
  let base = url
  let links = /** @type {string[]} */ ([])

  context.on('request', (r) => void seen.push({ url: r.url(), method: r.method(), type: r.resourceType(), phase }))
  context.on('response', (res) => {
    const at = phase
    pending.push(res.headersArray().then((headers) => {
      for (const h of headers) {
        if (h.name.toLowerCase() !== 'set-cookie') continue
        const from = res.url()
        for (const line of h.value.split('\n')) {
          headerCookies.push({ ...parseSetCookie(line, from), setBy: new URL(from).host, from, phase: at })
        }
      }
    }, () => undefined))
  })
  try {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    cdp.on('Network.requestWillBeSent', (e) => {
      const list = initiators.get(e.request.url) ?? []
      initiators.set(e.request.url, [...list, initiatorOf(e.initiator)])
    })
  } catch {
    // no CDP (not Chromium): requests are still recorded, without initiators
  }

  /** Every cookie seen in the jar, by `name@domain`, with the phase it first appeared in. */
  /** @type {Map<string, { name: string, domain: string, expires: number | null, phase: Phase }>} */
  const jar = new Map()
  const snapshot = async () => {
    for (const c of await context.cookies().catch(() => [])) {
      const domain = c.domain.replace(/^\./, '')
      const seen = jar.get(`${c.name}@${domain}`)
      if (!seen) jar.set(`${c.name}@${domain}`, { name: c.name, domain, expires: c.expires, phase })
      else seen.expires = c.expires // the lifetime a later write gave it
    }
  }
  const settle = () => page.waitForTimeout(options.wait)

  try {
    const response = await page.goto(url, { timeout: options.timeout, waitUntil: 'load' })
    report.status = response?.status() ?? null
    base = page.url() // parties are judged from where a redirect landed
    if (report.status && report.status >= 400) throw new Error(`the page answered HTTP ${report.status}`)
    await settle()
    sdk = await page.evaluate(readSdk, options.timeout)
    if (name === 'none') {
      links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => /** @type {HTMLAnchorElement} */ (a).href))
    }
    if (sdk && !sdk.ready) problems.push(`MinopioConsent.ready did not resolve within ${options.timeout} ms`)
    await snapshot()
    if (sdk && name !== 'none') {
      const action = ACTIONS[name]
      const button = page.locator(`#minopio-consent [data-action="${action}"]`).first()
      // Set before the click: the gate releases tags synchronously on it, before click() returns here.
      phase = 'decided'
      try {
        await button.click({ timeout: options.timeout })
        report.decidedBy = 'banner'
      } catch {
        problems.push(`no banner button #minopio-consent [data-action="${action}"] could be clicked within ${options.timeout} ms: decided through the API instead`)
        await page.evaluate((n) => /** @type {any} */ (window).MinopioConsent[n === 'accept' ? 'acceptAll' : 'rejectAll'](), name).catch(() => undefined)
        report.decidedBy = 'api'
      }
      await page.waitForFunction(() => /** @type {any} */ (window).MinopioConsent.get().decided, null, { timeout: options.timeout })
      await settle()
      await snapshot()
      const stored = await page.waitForFunction((n) => document.cookie.split('; ').some((c) => c.startsWith(`${n}=`)), sdk.cookieName,
        { timeout: Math.min(options.timeout, 5000) }).then(() => true, () => false)
      if (stored) {
        phase = 'reload'
        await page.reload({ timeout: options.timeout, waitUntil: 'load' })
        await page.evaluate(readSdk, options.timeout)
        await settle()
        report.reloaded = true
      } else {
        problems.push(`the consent cookie "${sdk.cookieName}" was not written after "${name} all" (no WebCrypto outside a secure context?): results are for this page view only`)
      }
      await snapshot()
    }
    report.audit = sdk ? await page.evaluate(readAudit) : null
  } catch (error) {
    report.error = firstLine(/** @type {Error} */ (error))
  }
  await Promise.all(pending)
  await snapshot()
  await context.close()

  const sdkUrls = [sdk?.endpoint, sdk?.uiUrl].filter(Boolean).map((u) => new URL(u, base).href.split('?')[0])
  for (const r of seen) {
    if (!/^https?:/.test(r.url)) continue
    if (!isThirdParty(r.url, base)) {
      report.firstPartyRequests++
      continue
    }
    const u = new URL(r.url)
    const href = u.origin + u.pathname
    report.requests.push({
      url: href, host: u.host, path: u.pathname, method: r.method, type: r.type,
      initiator: initiators.get(r.url)?.shift() ?? null, phase: r.phase,
      allowed: isAllowed(u.host, options.allow), sdk: !!sdk && (SDK_FILE.test(u.pathname) || sdkUrls.includes(href)),
      rule: sdk ? ruleCategory(sdk.rules ?? [], r.url) : null,
    })
  }
  // A cookie set by a response but gone from the jar at every snapshot (deleted, or refused) was still sent out.
  for (const h of headerCookies) if (!jar.has(`${h.name}@${h.domain}`)) jar.set(`${h.name}@${h.domain}`, h)
  for (const c of jar.values()) {
    const header = headerCookies.find((h) => h.name === c.name && h.domain === c.domain)
    const setBy = header?.setBy ?? 'script'
    report.cookies.push({
      name: c.name, domain: c.domain, setBy, expires: c.expires !== null && c.expires >= 0 ? Math.round(c.expires) : null,
      lifetime: lifetime(c.expires, Date.now() / 1000),
      thirdParty: (!!header && isThirdParty(header.from, base)) || isThirdPartyDomain(c.domain, base),
      phase: header?.phase ?? c.phase,
      beforeConsent: beforeConsent(name, header?.phase ?? c.phase),
      allowed: c.name === sdk?.cookieName || options.allowCookies.includes(c.name) ||
        isAllowed(c.domain, options.allow) || (setBy !== 'script' && isAllowed(setBy, options.allow)),
    })
  }
  return { report, sdk, problems, links }
}
