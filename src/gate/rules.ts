import type { Rule } from '../types'

// `ads.example.` is the same host as `ads.example` (a fully qualified name): one form for rules and URLs.
const bare = (host: string) => host.replace(/\.+(?=:\d*$|$)/, '')

// Authority and path of a canonical absolute URL (what `URL#href` gives: lowercase host, no backslashes).
const PARTS = /^[^:]+:\/\/(?:[^@/]*@)?([^/?#]*)([^?#]*)/

/**
 * Compiles `config.rules` into a matcher: absolute URL → category (or service) id of the first rule it matches, or `undefined`.
 * A string without `/` matches that host and its subdomains (written with a port, that port only),
 * a string with `/` a host + path prefix, a RegExp the absolute URL.
 * @param rules validated rules
 * @example
 * createMatcher([{ match: 'ads.example', category: 'marketing' }])('https://x.ads.example/p.js') // 'marketing'
 */
export function createMatcher(rules: readonly Rule[]): (href: string) => string | undefined {
  const tests = rules.map(({ match: m, category, service }) => {
    const c = service ?? category
    // String.prototype.search ignores `lastIndex`, so a /g or /y rule gives the same answer every time.
    if (typeof m != 'string') return (href: string) => href.search(m) >= 0 && c
    const i = m.indexOf('/')
    // The URL parser writes the host as hrefs carry it: lowercase, punycode for a Unicode name (bücher.example).
    let h = (i < 0 ? m : m.slice(0, i)).toLowerCase()
    try {
      h = new URL('http://' + h).host
    } catch {
      // Not a host the URL parser accepts: compared as written.
    }
    h = bare(h)
    const p = i < 0 ? '' : m.slice(i)
    const port = /:\d+$/.test(h)
    return (_: string, name: string, host: string, path: string) => {
      const at = port ? host : name
      return (at == h || at.endsWith('.' + h)) && path.startsWith(p) && c
    }
  })
  return (href) => {
    // Reading URL parts through `URL` getters costs microseconds each in Chromium: one regex on `href` instead.
    const [, h = '', path = ''] = PARTS.exec(href) ?? []
    const host = bare(h)
    const name = host.replace(/:\d*$/, '')
    for (const t of tests) {
      const c = t(href, name, host, path)
      if (c) return c
    }
  }
}
