import { describe, expect, it } from 'vitest'
import { createMatcher } from '../src/rule-matcher'
import type { Rule } from '../src/types'

const categoryOf = (rules: Rule[], url: string) => createMatcher(rules)(new URL(url).href)

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
