// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../scanner/types.mjs'
import { esc, reportHtml } from '../scanner/report-html.mjs'

const EVIL = '<img src=x onerror=alert(1)>"\''
const report = (pages: unknown[], clean = false) => ({
  tool: 'minopio-scan', schema: 1, scannedAt: '2026-01-02T03:04:05.000Z',
  options: { allow: ['cdn.example'], allowCookies: [], timeout: 1000, wait: 0, crawl: 0 },
  summary: { pages: pages.length, errors: 0, violations: 1, underFiring: 0, clean }, pages,
}) as ScanReport
const leaky = {
  url: `http://site.example/?q=${EVIL}`, error: null, problems: [], notes: [],
  sdk: { version: '1.0.0', policyVersion: '2024-05', cookieName: 'minopio_consent', categories: [{ id: 'necessary', required: true }, { id: 'marketing', required: false }] },
  visits: { none: null, reject: null, accept: null },
  tags: [{ kind: 'script', url: null, snippet: `</td>${EVIL}`, category: 'marketing', via: 'rule', states: { none: 'blocked', reject: 'blocked', accept: 'loaded' } }],
  violations: [
    { kind: 'request', host: 'tracker.example', what: '/leak.js', type: 'script', initiator: { type: 'parser', url: 'http://site.example/' }, setBy: null, visits: ['none', 'reject'], heldByGate: false },
    { kind: 'cookie', host: 'site.example', what: EVIL, type: 'first-party', initiator: null, setBy: 'script', visits: ['none'], heldByGate: false },
  ],
  underFiring: [], afterAccept: [{ host: 'tracker.example', paths: ['/leak.js'] }], links: [],
}

describe('the HTML report', () => {
  it('escapes every character that could open markup or close an attribute', () => {
    expect(esc(EVIL)).toBe('&#60;img src=x onerror=alert(1)&#62;&#34;&#39;')
    expect(esc('a & b')).toBe('a &#38; b')
  })

  it('names the tracker and never lets a value from the page become markup', () => {
    const html = reportHtml(report([leaky]))
    expect(html).toContain('tracker.example')
    expect(html).toContain('/leak.js')
    expect(html).toContain('Needs attention')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('onerror=alert(1)>')
    expect(html).toContain(esc(EVIL))
    expect(html.match(/<td>/g)?.length).toBe(html.match(/<\/td>/g)?.length)
  })

  it('is one self-contained file: no script and nothing loaded from elsewhere', () => {
    const html = reportHtml(report([leaky]))
    expect(html).not.toMatch(/<script|<link|src=["']?http|@import|url\(/i)
    expect(html.startsWith('<!doctype html>')).toBe(true)
  })

  it('says in plain words when everything is clean, and what could not be checked', () => {
    const clean = reportHtml(report([{ ...leaky, violations: [], tags: [] }], true))
    expect(clean).toContain('All clear: no page contacted a third party or stored a cookie before consent.')
    expect(clean).toContain('No tag is gated on this page.')
    const failed = reportHtml(report([{ ...leaky, error: 'could not load the page: net::ERR_CONNECTION_REFUSED' }]))
    expect(failed).toContain('Could not be checked')
    expect(failed).toContain('net::ERR_CONNECTION_REFUSED')
  })
})
