import type { Rule } from '../types'

/**
 * Compiles `config.rules` into a matcher: URL → category of the first rule it matches, or `undefined`.
 * A string without `/` matches that host and its subdomains (written with a port, that port only),
 * a string with `/` a host + path prefix, a RegExp the absolute URL.
 * @param rules validated rules
 * @example
 * createMatcher([{ match: 'ads.example', category: 'marketing' }])(new URL('https://x.ads.example/p.js')) // 'marketing'
 */
export function createMatcher(rules: readonly Rule[]): (url: URL) => string | undefined {
  const tests = rules.map(({ match: m, category: c }) => {
    // String.prototype.search ignores `lastIndex`, so a /g or /y rule gives the same answer every time.
    if (typeof m != 'string') return (u: URL) => u.href.search(m) >= 0 && c
    const i = m.indexOf('/')
    const h = (i < 0 ? m : m.slice(0, i)).toLowerCase()
    const p = i < 0 ? '' : m.slice(i)
    return (u: URL) => {
      const host = h.includes(':') ? u.host : u.hostname
      return (host == h || host.endsWith('.' + h)) && u.pathname.startsWith(p) && c
    }
  })
  return (u) => {
    for (const t of tests) {
      const c = t(u)
      if (c) return c
    }
  }
}
