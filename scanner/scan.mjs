// A scan: three visits per page, the findings, and same-origin crawling.
import { classify, VISITS } from './classify.mjs'
import { suggestMatch } from './fixes.mjs'
import { visit } from './visit.mjs'

/** @typedef {import('./types.mjs').ScanOptions} ScanOptions */
/** @typedef {import('./types.mjs').PageReport} PageReport */

// Links to files that are not pages: never crawled.
const NOT_A_PAGE = /\.(pdf|zip|gz|png|jpe?g|gif|svg|webp|ico|mp[34]|webm|css|js|json|xml|txt)$/i

/**
 * Why a URL cannot be scanned; `null` when it is an http(s) URL.
 * @param {string} url
 */
export function checkUrl(url) {
  let u
  try {
    u = new URL(url)
  } catch {
    return /^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(url) ? `not a URL: did you mean https://${url} ?` : 'not a URL'
  }
  return /^https?:$/.test(u.protocol) ? null : `not an http(s) URL (${u.protocol.slice(0, -1)}): only web pages can be scanned`
}

/** @param {string} url @returns {PageReport} */
const emptyPage = (url) => ({
  url, error: null, problems: [], notes: [], sdk: null, visits: { none: null, reject: null, accept: null },
  tags: [], violations: [], underFiring: [], afterAccept: [], links: [],
})

/**
 * Scans one page: a visit without a decision, then (when the SDK is there) one that rejects all and one that
 * accepts all through the banner, each in a fresh browser context.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {ScanOptions} options
 * @returns {Promise<PageReport>}
 */
export async function scanPage(browser, url, options) {
  const page = emptyPage(url)
  page.error = checkUrl(url)
  if (page.error) return page
  let sdk = null
  for (const name of VISITS) {
    const v = await visit(browser, url, name, options)
    page.visits[name] = v.report
    page.problems.push(...v.problems.map((p) => `${name === 'none' ? 'no decision' : `${name} all`}: ${p}`))
    if (name === 'none') {
      if (v.report.error) {
        page.error = `could not load the page: ${v.report.error}`
        return page
      }
      sdk = v.sdk
      page.links = [...new Set(v.links.map((l) => l.split('#')[0]))].filter((l) => sameOrigin(l, url) && !NOT_A_PAGE.test(new URL(l).pathname))
      if (!sdk) {
        page.notes.push('no Minopio Consent SDK on this page (window.MinopioConsent is missing): nothing is gated, only the visit without a decision was made')
        break
      }
      page.sdk = {
        version: sdk.version, policyVersion: sdk.policyVersion, cookieName: sdk.cookieName, categories: sdk.categories,
        rules: (sdk.rules ?? []).map((/** @type {{ match: string | RegExp, category: string }} */ r) => ({ match: String(r.match), category: r.category })),
      }
    } else if (v.report.error) {
      page.problems.push(`${name} all: the visit failed: ${v.report.error}`)
    }
  }
  Object.assign(page, classify(page.visits, page.sdk?.categories ?? []))
  return page
}

/** @param {string} a @param {string} b */
function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

/**
 * Scans every URL (and, with `crawl`, up to that many same-origin pages linked from each), one after another.
 * @param {import('playwright-core').Browser} browser
 * @param {string[]} urls
 * @param {ScanOptions} options
 * @param {(page: PageReport, index: number, known: number) => void} [progress] called after each page
 * @returns {Promise<PageReport[]>}
 */
export async function scanAll(browser, urls, options, progress) {
  const queue = urls.map((url) => ({ url, root: url }))
  const budget = new Map(urls.map((u) => [u, options.crawl]))
  const done = new Set()
  /** @type {PageReport[]} */
  const pages = []
  for (let i = 0; i < queue.length; i++) {
    const { url, root } = queue[i]
    if (done.has(url)) continue
    done.add(url)
    const page = await scanPage(browser, url, options)
    pages.push(page)
    for (const link of page.links) {
      if ((budget.get(root) ?? 0) <= 0) break
      if (done.has(link) || queue.some((q) => q.url === link)) continue
      budget.set(root, (budget.get(root) ?? 0) - 1)
      queue.push({ url: link, root })
    }
    progress?.(page, pages.length, pages.length + queue.slice(i + 1).filter((q) => !done.has(q.url)).length)
  }
  return pages
}

/** @param {string[]} names @param {number} [max] */
const some = (names, max = 4) => (names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', '))
/** @param {number} n @param {string} one @param {string} many */
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`

/**
 * One line a manager can read: what fires before consent, which cookies are stored, what never runs, what could not
 * be checked; each with the names (`2 trackers are contacted before consent: a.example, b.example.`).
 * @param {PageReport[]} pages
 * @returns {string}
 */
export function headline(pages) {
  /** @type {Record<'tag' | 'request' | 'cookie', Set<string>>} */
  const found = { tag: new Set(), request: new Set(), cookie: new Set() }
  for (const p of pages) for (const v of p.violations) found[v.kind]?.add(v.kind === 'request' ? v.host : v.what)
  const under = [...new Set(pages.flatMap((p) => p.underFiring.map((u) => u.url ?? `inline script ${u.snippet ?? ''}`)))]
  const errors = pages.filter((p) => p.error).length
  const out = []
  const list = (/** @type {Set<string>} */ s) => some([...s])
  if (found.tag.size) out.push(`${count(found.tag.size, 'gated tag runs', 'gated tags run')} before consent: ${list(found.tag)}.`)
  if (found.request.size) out.push(`${count(found.request.size, 'third party is', 'third parties are')} contacted before consent: ${list(found.request)}.`)
  if (found.cookie.size) out.push(`${count(found.cookie.size, 'cookie is', 'cookies are')} stored before consent: ${list(found.cookie)}.`)
  if (under.length) out.push(`${count(under.length, 'gated tag never runs', 'gated tags never run')}, even after “Accept all”: ${some(under)}.`)
  if (errors) out.push(`${count(errors, 'page', 'pages')} could not be checked.`)
  return out.join(' ') || 'Nothing happens before consent: no third party contacted, no cookie stored, every gated tag runs after “Accept all”.'
}

/**
 * The third-party hosts strict mode would block because no rule of the page names them: every host a visit contacted
 * that is neither the SDK nor covered by a rule, as strict mode's `rules` list (review each: a tracker belongs in its
 * own category, not in `necessary`).
 * @param {PageReport[]} pages
 * @returns {string[]} hosts as rule matches, sorted
 */
export function strictHosts(pages) {
  const hosts = new Set()
  for (const p of pages) {
    for (const v of Object.values(p.visits)) for (const r of v?.requests ?? []) if (!r.sdk && !r.rule) hosts.add(suggestMatch(r.url))
  }
  return [...hosts].sort()
}

/**
 * The `--json` document.
 * @param {PageReport[]} pages @param {ScanOptions} options @param {Date} [at]
 * @returns {import('./types.mjs').ScanReport}
 */
export function buildReport(pages, options, at = new Date()) {
  const sum = (/** @type {(p: PageReport) => number} */ f) => pages.reduce((n, p) => n + f(p), 0)
  const summary = {
    pages: pages.length,
    errors: sum((p) => (p.error ? 1 : 0)),
    violations: sum((p) => p.violations.length),
    underFiring: sum((p) => p.underFiring.length),
    clean: false,
    headline: headline(pages),
    strictHosts: strictHosts(pages),
  }
  summary.clean = summary.errors === 0 && summary.violations === 0 && sum((p) => p.problems.length) === 0
  return { tool: 'minopio-scan', schema: 1, scannedAt: at.toISOString(), options, summary, pages }
}
