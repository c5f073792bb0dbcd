import type { Rule } from './types'

// `ads.example.` is the same host as `ads.example` (a fully qualified name): one form for rules and URLs.
const bare = (host: string) => host.replace(/\.+(?=:\d*$|$)/, '')

// Authority and path of a canonical absolute URL (what `URL#href` gives: lowercase host, no backslashes).
const PARTS = /^[^:]+:\/\/(?:[^@/]*@)?([^/?#]*)([^?#]*)/

/**
 * A string rule's host, as hrefs carry it (lowercase, punycode, no trailing dot, the port if written), and its path prefix.
 * @param match a rule's `match` without RegExp
 * @example ruleParts('Bücher.example/px') // ['xn--bcher-kva.example', '/px']
 */
export function ruleParts(match: string): [host: string, path: string] {
  const i = match.indexOf('/')
  let h = (i < 0 ? match : match.slice(0, i)).toLowerCase()
  try {
    h = new URL('http://' + h).host
  } catch {
    // Not a host the URL parser accepts: compared as written.
  }
  return [bare(h), i < 0 ? '' : match.slice(i)]
}

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
    const [h, p] = ruleParts(m)
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

/**
 * The rule `match` to suggest for a URL no rule covers: its host (and subdomains), written with the port only for
 * an IP address or a single-label host such as `localhost`, where the port is what tells two parties apart.
 * @param href absolute URL
 * @example suggestMatch('https://px.ads.example/p.gif') // 'px.ads.example'
 */
export function suggestMatch(href: string): string {
  const [, h = ''] = PARTS.exec(href) ?? []
  const host = bare(h)
  const name = host.replace(/:\d*$/, '')
  return /^[\d.]+$|^\[|^[^.]+$/.test(name) ? host : name
}

/**
 * The category to suggest for something nothing gates, a guess the site must check: marketing when configured,
 * else the first optional category.
 * @param categories the site's categories
 */
export function guessCategory(categories: readonly { id: string; required?: boolean }[]): string {
  const optional = categories.filter((c) => !c.required).map((c) => c.id)
  return optional.includes('marketing') ? 'marketing' : optional[0] ?? 'marketing'
}

/**
 * The rule to paste into `config.rules` for a URL nothing covers (category: {@link guessCategory}).
 * @param categories the site's categories
 * @param href absolute URL
 * @example suggestRule([{ id: 'marketing' }], 'https://px.ads.example/p.gif') // "{ match: 'px.ads.example', category: 'marketing' }"
 */
export function suggestRule(categories: readonly { id: string; required?: boolean }[], href: string): string {
  return `{ match: '${suggestMatch(href)}', category: '${guessCategory(categories)}' }`
}
