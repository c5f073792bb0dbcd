import type { Rule, TagReport } from '../src/types'

// The rule forms of DESIGN §3: a host (and its subdomains), a host + path prefix, or a RegExp on the full URL.
const covers = (m: Rule['match'], u: URL) =>
  typeof m !== 'string'
    ? m.test(u.href)
    : m.includes('/')
      ? (u.host + u.pathname).startsWith(m) || (u.hostname + u.pathname).startsWith(m)
      : [u.host, u.hostname].some((h) => h === m || h.endsWith('.' + m))

/**
 * Third-party URLs the page requested (resource timing) that no gated tag and no rule covers: what still
 * leaks past the gate. Same-origin requests are the site's own.
 * @param rules the config's rules
 * @param tags the gate's registry
 * @returns distinct URLs in order of first request
 */
export function uncoveredRequests(rules: readonly Rule[], tags: readonly TagReport[]): string[] {
  const gated = new Set(tags.map((tag) => tag.url))
  const out = new Set<string>()
  for (const entry of performance.getEntriesByType('resource')) {
    let u: URL
    try {
      u = new URL(entry.name)
    } catch {
      continue
    }
    if (u.origin === location.origin || !/^https?:$/.test(u.protocol) || gated.has(u.href)) continue
    if (!rules.some((r) => covers(r.match, u))) out.add(u.href)
  }
  return [...out]
}

/**
 * Calls back on every new resource request while the audit panel is open (live list).
 * @param callback redraw
 * @returns stop
 */
export function watchResources(callback: () => void): () => void {
  try {
    const observer = new PerformanceObserver(callback)
    observer.observe({ type: 'resource' })
    return () => observer.disconnect()
  } catch {
    return () => undefined // no PerformanceObserver: the list is the snapshot taken when the panel opened
  }
}
