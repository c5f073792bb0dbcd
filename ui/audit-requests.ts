import type { Rule, TagReport } from '../src/types'
import { createMatcher } from '../src/rule-matcher'

// Every URL the page requested so far (resource timing).
const requested = () => performance.getEntriesByType('resource').map((entry) => entry.name)

/**
 * Third-party URLs the page requested that no gated tag and no rule covers: what still leaks past the gate.
 * Same-origin requests are the site's own. Coverage is the gate's own matcher (src/rule-matcher.ts).
 * @param rules the config's rules
 * @param tags the gate's registry
 * @param urls the URLs requested (default: the page's resource timing entries)
 * @returns distinct URLs in order of first request
 */
export function uncoveredRequests(rules: readonly Rule[], tags: readonly TagReport[], urls: readonly string[] = requested()): string[] {
  const gated = new Set(tags.map((tag) => tag.url))
  const match = createMatcher(rules)
  const out = new Set<string>()
  for (const name of urls) {
    let u: URL
    try {
      u = new URL(name)
    } catch {
      continue
    }
    if (u.origin === location.origin || !/^https?:$/.test(u.protocol) || gated.has(u.href)) continue
    if (!match(u.href)) out.add(u.href)
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
