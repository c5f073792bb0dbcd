// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../scanner/types.mjs'
import { reportText, table } from '../scanner/report-text.mjs'

const page = (parts: Record<string, unknown> = {}) => ({
  url: 'http://site.example/', error: null, problems: [], notes: [],
  sdk: { version: '1.0.0', policyVersion: '2024-05', cookieName: 'minopio_consent', categories: [{ id: 'necessary', required: true }, { id: 'marketing', required: false }] },
  visits: { none: null, reject: null, accept: null }, tags: [], violations: [], underFiring: [], afterAccept: [], links: [], ...parts,
})
const report = (pages: unknown[], summary: Record<string, unknown>) => ({
  tool: 'minopio-scan', schema: 1, scannedAt: '2026-01-02T03:04:05.000Z',
  options: { allow: [], allowCookies: [], timeout: 1000, wait: 0, crawl: 0 },
  summary: { pages: pages.length, errors: 0, violations: 0, underFiring: 0, clean: true, headline: '', strictHosts: [], ...summary }, pages,
}) as ScanReport

describe('the text report', () => {
  it('prints the summary line, then per finding its suggested fix with the code to copy, and credits the released tag, not the gate', () => {
    const text = reportText(report([page({
      violations: [{
        kind: 'request', host: 'px.example', what: '/c.gif', type: 'image', initiator: { type: 'released', url: null }, setBy: null, visits: ['none'], heldByGate: false,
        fix: { text: 'Nothing covers this host: add a rule.', code: "{ match: 'px.example', category: 'marketing' }" },
      }],
    })], { violations: 1, clean: false, headline: '1 third party is contacted before consent: px.example.' }))
    expect(text.split('\n')[1]).toBe('1 third party is contacted before consent: px.example.')
    expect(text).toContain("    Fix request px.example /c.gif: Nothing covers this host: add a rule.\n      { match: 'px.example', category: 'marketing' }")
    expect(text).toContain('the tag itself, released by the gate')
  })

  it('aligns columns and cuts very long cells, but never the explanation in the last column', () => {
    expect(table(['A', 'BB'], [['long value', 'x'], ['y', 'z']], '')).toBe('A           BB\nlong value  x\ny           z')
    expect(table(['U', 'WHY'], [['u'.repeat(200), 'w'.repeat(100)]], '').split('\n')[1]).toBe(`${'u'.repeat(69)}…  ${'w'.repeat(100)}`)
  })

  it('names the tracker, the visits it fired in and what made the request', () => {
    const text = reportText(report([page({
      violations: [{ kind: 'request', host: 'tracker.example:8081', what: '/leak.js', type: 'script', initiator: { type: 'parser', url: 'http://site.example/' }, setBy: null, visits: ['none', 'reject'], heldByGate: true }],
    })], { violations: 1, clean: false }))
    expect(text).toContain('minopio-scan: 1 page, 1 violation, 0 under-firing, 0 pages not scanned: NOT CLEAN')
    expect(text).toContain('http://site.example/  [VIOLATIONS: 1]')
    expect(text).toMatch(/request +tracker\.example:8081 +\/leak\.js +script +no decision, reject all +parser http:\/\/site\.example\//)
    expect(text).toContain('held by the gate but fetched: mark it type="text/plain" data-consent')
  })

  it('shows each gated tag with its state per visit, and under-firing tags', () => {
    const text = reportText(report([page({
      tags: [{ kind: 'script', url: 'http://ads.example/a.js', snippet: null, category: 'marketing', via: 'markup', states: { none: 'blocked', reject: 'blocked', accept: 'error' } }],
      underFiring: [{ kind: 'script', url: 'http://ads.example/a.js', snippet: null, category: 'marketing', state: 'error' }],
    })], { underFiring: 1 }))
    expect(text).toMatch(/marketing +markup +script +http:\/\/ads\.example\/a\.js +blocked +blocked +error/)
    expect(text).toContain('Under-firing (1): gated tags that never ran, even after accept all')
    expect(text).toContain('[clean]')
  })

  it('gives the reason for a page that could not be scanned, and a clean verdict otherwise', () => {
    const text = reportText(report([page({ error: 'not an http(s) URL (ftp): only web pages can be scanned', url: 'ftp://x/' }), page()], { errors: 1, clean: false }))
    expect(text).toContain('ftp://x/  [NOT SCANNED]\n  not an http(s) URL (ftp): only web pages can be scanned')
    expect(text).toContain('http://site.example/  [clean]')
    expect(text).toContain('Violations (0)')
  })

  it('ends with the hosts strict mode would block as a rules list to review and paste', () => {
    const text = reportText(report([page()], { strictHosts: ['cdn.shop.example', 'fonts.example'] }))
    expect(text).toContain("rules: [\n    { match: 'cdn.shop.example', category: 'necessary' },\n    { match: 'fonts.example', category: 'necessary' },\n  ]")
    expect(reportText(report([page()], { strictHosts: [] }))).not.toContain('rules: [')
  })
})
