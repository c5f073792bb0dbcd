import { afterEach, describe, expect, it } from 'vitest'
import { ruleCategory } from '../scanner/fixes.mjs'
import { createConsent } from '../src/index'
import { createMatcher, suggestMatch, suggestRule } from '../src/rule-matcher'
import { uncoveredRequests } from '../ui/audit-requests'
import type { Rule } from '../src/types'

const categoryOf = (rules: Rule[], url: string) => createMatcher(rules)(new URL(url).href)

afterEach(() => {
  document.body.replaceChildren()
})

describe('rule matching', () => {
  it('matches a host and its subdomains, never a look-alike', () => {
    const rules = [{ match: 'ads.example', category: 'marketing' }]
    expect(categoryOf(rules, 'https://ads.example/p.js')).toBe('marketing')
    expect(categoryOf(rules, 'http://cdn.eu.ads.example:8080/x?y=1')).toBe('marketing')
    expect(categoryOf(rules, 'https://badads.example/p.js')).toBeUndefined()
    expect(categoryOf(rules, 'https://ads.example.evil.test/p.js')).toBeUndefined()
    expect(categoryOf(rules, 'https://example.com/?u=ads.example')).toBeUndefined()
  })

  it('ignores the case of the host a site wrote', () => {
    expect(categoryOf([{ match: 'Ads.Example', category: 'marketing' }], 'https://ADS.example/p.js')).toBe('marketing')
  })

  it('matches the host whatever the URL carries around it: credentials, port, IPv6 brackets', () => {
    expect(categoryOf([{ match: 'ads.example', category: 'marketing' }], 'https://user:pw@ads.example:8443/p')).toBe('marketing')
    expect(categoryOf([{ match: '[::1]', category: 'marketing' }], 'http://[::1]:8080/p')).toBe('marketing')
    expect(categoryOf([{ match: 'ads.example', category: 'marketing' }], 'https://ads.example@cdn.example/p')).toBeUndefined()
  })

  it('matches only that port when the rule names one', () => {
    const rules = [{ match: '127.0.0.1:9000', category: 'marketing' }]
    expect(categoryOf(rules, 'http://127.0.0.1:9000/t.js')).toBe('marketing')
    expect(categoryOf(rules, 'http://127.0.0.1:8080/app.js')).toBeUndefined()
  })

  it('matches a host + path prefix', () => {
    const rules = [{ match: 'cdn.example/pixel', category: 'marketing' }]
    expect(categoryOf(rules, 'https://cdn.example/pixel.gif')).toBe('marketing')
    expect(categoryOf(rules, 'https://img.cdn.example/pixel/1')).toBe('marketing')
    expect(categoryOf(rules, 'https://cdn.example/lib/pixel.gif')).toBeUndefined()
    expect(categoryOf(rules, 'https://cdn.example/app.js?pixel')).toBeUndefined()
  })

  it('tests a RegExp on the absolute URL, the same way every time even with the g flag', () => {
    const matcher = createMatcher([{ match: /collect\?v=\d/g, category: 'analytics' }])
    const url = new URL('https://stats.example/collect?v=2&tid=1').href
    expect([matcher(url), matcher(url), matcher(url)]).toEqual(['analytics', 'analytics', 'analytics'])
    expect(matcher(new URL('https://stats.example/collect').href)).toBeUndefined()
  })

  it('gives the category of the first rule that matches', () => {
    const rules = [{ match: 'tags.example/analytics', category: 'analytics' }, { match: 'tags.example', category: 'marketing' }]
    expect(categoryOf(rules, 'https://tags.example/analytics/a.js')).toBe('analytics')
    expect(categoryOf(rules, 'https://tags.example/m.js')).toBe('marketing')
  })

  it('matches a rule written with a Unicode host against the punycode host URLs carry', () => {
    const rules = [{ match: 'bücher.example', category: 'marketing' }, { match: 'Straße.example/px', category: 'analytics' }]
    expect(categoryOf(rules, 'http://bücher.example/p.js')).toBe('marketing')
    expect(categoryOf(rules, 'https://cdn.xn--bcher-kva.example/p.js')).toBe('marketing')
    expect(categoryOf(rules, 'https://STRASSE.example/px.gif')).toBeUndefined()
    expect(categoryOf(rules, 'https://straße.example/px.gif')).toBe('analytics')
    expect(categoryOf(rules, 'https://bucher.example/p.js')).toBeUndefined()
  })

  it('treats a trailing-dot host as the same host, in the rule and in the URL', () => {
    expect(categoryOf([{ match: 'ads.example.', category: 'marketing' }], 'https://ads.example/p.js')).toBe('marketing')
    expect(categoryOf([{ match: 'ads.example', category: 'marketing' }], 'https://ads.example./p.js')).toBe('marketing')
    expect(categoryOf([{ match: 'ads.example', category: 'marketing' }], 'https://x.ads.example..:8443/p.js')).toBe('marketing')
    expect(categoryOf([{ match: 'ads.example:8443', category: 'marketing' }], 'https://ads.example.:8443/p.js')).toBe('marketing')
    expect(categoryOf([{ match: 'ads.example:8443', category: 'marketing' }], 'https://ads.example.:9000/p.js')).toBeUndefined()
  })
})

// One table, three consumers: the gate holding an element, the audit panel's "uncovered" list, the scanner's
// coverage. Each case runs twice, so a stateful RegExp (g, y) would show.
const CASES: Array<[string | RegExp, string, boolean, string]> = [
  ['ads.example', 'https://ads.example/p.js', true, 'the host itself'],
  ['ads.example', 'https://cdn.eu.ads.example/p.js', true, 'a subdomain'],
  ['ads.example', 'https://badads.example/p.js', false, 'a look-alike host'],
  ['ads.example', 'https://ads.example.evil.test/p.js', false, 'the host as a prefix of another'],
  ['ads.example', 'https://ads.example@cdn.example/p.js', false, 'the host as credentials'],
  ['ads.example', 'https://user:pw@ads.example/p.js', true, 'credentials before the host'],
  ['cdn.example/pixel', 'https://img.cdn.example/pixel/1.gif', true, 'a subdomain under a host + path rule'],
  ['cdn.example/pixel', 'https://cdn.example/lib/pixel.gif', false, 'the path elsewhere'],
  ['cdn.example/pixel', 'https://cdn.example/app.js?pixel', false, 'the path in the query'],
  ['Ads.Example', 'https://ads.example/p.js', true, 'a rule host in capitals'],
  ['ads.example', 'https://ADS.EXAMPLE/p.js', true, 'a URL host in capitals'],
  ['ads.example', 'http://ads.example:8080/p.js', true, 'any port without one in the rule'],
  ['ads.example:8443', 'https://ads.example:8443/p.js', true, 'the port the rule names'],
  ['ads.example:8443', 'https://ads.example/p.js', false, 'another port than the rule names'],
  ['[::1]', 'http://[::1]:8080/p.js', true, 'an IPv6 host'],
  ['bücher.example', 'https://xn--bcher-kva.example/p.js', true, 'a Unicode rule, a punycode URL'],
  ['xn--bcher-kva.example', 'https://bücher.example/p.js', true, 'a punycode rule, a Unicode URL'],
  ['bücher.example', 'https://bucher.example/p.js', false, 'the name without its umlaut'],
  ['ads.example.', 'https://ads.example/p.js', true, 'a trailing dot in the rule'],
  ['ads.example', 'https://ads.example./p.js', true, 'a trailing dot in the URL'],
  [/collect\?v=\d/g, 'https://stats.example/collect?v=2', true, 'a RegExp with the g flag'],
  [/collect/y, 'https://stats.example/collect', false, 'a sticky RegExp, anchored at the start of the URL'],
  [/^https:\/\/stats\.example\//y, 'https://stats.example/collect', true, 'a sticky RegExp matching at the start'],
  [/STATS\.example/i, 'https://stats.example/collect', true, 'a RegExp with the i flag'],
  [/STATS\.example/, 'https://stats.example/collect', false, 'a RegExp without the i flag'],
]

describe('one matcher: gate, audit panel and scanner agree', () => {
  it.each(CASES)('%s on %s → covered: %s (%s)', async (match, url, covered) => {
    const rules = [{ match, category: 'marketing' }]
    const href = new URL(url).href
    const consent = createConsent({ rules })
    for (let i = 0; i < 2; i++) {
      const img = document.createElement('img')
      img.src = url
      expect(consent.audit().some((t) => t.url === href && t.via === 'rule' && t.category === 'marketing'), `gate, try ${i + 1}`).toBe(covered)
      document.body.replaceChildren()
      expect(uncoveredRequests(rules, [], [url]), `audit panel, try ${i + 1}`).toEqual(covered ? [] : [href])
      expect(ruleCategory(rules, url), `scanner, try ${i + 1}`).toBe(covered ? 'marketing' : null)
    }
    await consent.ready
  })
})

describe('suggested rules', () => {
  it('name the host, with the port only for an IP address or localhost, and guess marketing, else the first optional category', () => {
    const cats = (...ids: string[]) => ids.map((id) => ({ id, required: id === 'necessary' }))
    expect(suggestRule(cats('necessary', 'analytics', 'marketing'), 'https://px.ads.example:8443/p.gif')).toBe("{ match: 'px.ads.example', category: 'marketing' }")
    expect(suggestRule(cats('necessary', 'video'), 'https://t.example./x')).toBe("{ match: 't.example', category: 'video' }")
    expect(suggestMatch('http://127.0.0.1:9000/t.js')).toBe('127.0.0.1:9000')
    expect(suggestMatch('http://localhost:9000/t.js')).toBe('localhost:9000')
    expect(suggestMatch('http://[::1]:9000/t.js')).toBe('[::1]:9000')
    // Every suggestion covers the URL it was made for.
    const url = 'https://cdn.xn--bcher-kva.example/p.js'
    expect(createMatcher([{ match: suggestMatch(url), category: 'marketing' }])(url)).toBe('marketing')
  })
})
