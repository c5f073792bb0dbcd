// Who a request or a cookie belongs to, seen from the page being scanned.

// Second-level labels under which registrations happen one level deeper (example.co.uk). An approximation of the
// Public Suffix List, good enough to tell a site's own CDN from a tracker; `--allow` covers the rest.
const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'gov', 'ac', 'edu', 'ne', 'or', 'go'])

const isIp = (/** @type {string} */ host) => /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[')

/**
 * The site of a URL: its registrable domain (`shop.minopio.com` → `minopio.com`). Hosts without one — IP addresses
 * and `localhost` — are their own site *with the port*, so that local servers on two ports act as two parties.
 * @param {string | URL} url
 * @returns {string}
 */
export function siteOf(url) {
  const u = typeof url === 'string' ? new URL(url) : url
  const host = u.hostname
  if (isIp(host) || !host.includes('.')) return u.host
  const labels = host.split('.')
  const n = labels.length
  const keep = n > 2 && labels[n - 1].length === 2 && SECOND_LEVEL.has(labels[n - 2]) ? 3 : 2
  return labels.slice(-keep).join('.')
}

/**
 * Whether a URL belongs to another party than the page.
 * @param {string} url the request URL
 * @param {string} pageUrl the page scanned
 */
export function isThirdParty(url, pageUrl) {
  return siteOf(url) !== siteOf(pageUrl)
}

/**
 * Whether a cookie's domain is another party's than the page's (cookies ignore ports: RFC 6265 §8.5).
 * @param {string} domain the cookie's Domain (a leading dot is ignored)
 * @param {string} pageUrl
 */
export function isThirdPartyDomain(domain, pageUrl) {
  const d = domain.replace(/^\./, '')
  const page = new URL(pageUrl).hostname
  if (isIp(page) || !page.includes('.')) return d !== page
  return siteOf(`http://${d}/`) !== siteOf(pageUrl)
}

/**
 * Whether a host is on the `--allow` list: an entry matches the host itself and its subdomains; an entry with a
 * port (`127.0.0.1:8081`) matches that port only.
 * @param {string} host `hostname` or `hostname:port`
 * @param {readonly string[]} allow
 */
export function isAllowed(host, allow) {
  const name = host.replace(/:\d+$/, '')
  return allow.some((a) => (a.includes(':') && !a.startsWith('[') ? a === host : name === a || name.endsWith(`.${a}`)))
}
