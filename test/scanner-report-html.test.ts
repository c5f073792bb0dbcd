// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../scanner/types.mjs'
import { esc, localTime, reportHtml } from '../scanner/report-html.mjs'

const EVIL = '<img src=x onerror=alert(1)>"\''
const report = (pages: unknown[], clean = false) => ({
  tool: 'minopio-scan', schema: 1, scannedAt: '2026-01-02T03:04:05.000Z',
  options: { allow: ['cdn.example'], allowCookies: [], timeout: 1000, wait: 0, crawl: 0 },
  summary: { pages: pages.length, errors: 0, violations: 1, underFiring: 0, clean, headline: '', strictHosts: [] }, pages,
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
    expect(html.match(/<td[ >]/g)?.length).toBe(html.match(/<\/td>/g)?.length)
  })

  it('wraps long URLs after their slashes and query marks, never splitting an escaped character, and has a card layout for phones', () => {
    const html = reportHtml(report([{ ...leaky, violations: [{ ...leaky.violations[0], what: '/a/b?x=<1>&y=2' }] }]))
    expect(html).toContain('/a<wbr>/b<wbr>?x=&#60;1&#62;<wbr>&#38;y=2')
    expect(html).not.toContain('break-all')
    expect(html).toMatch(/@media\(max-width:640px\)\{.*thead\{position:absolute/s)
    expect(html).toContain('<td data-label="Suggested fix">')
  })

  it('gives the scan time in local time with its zone, not a raw ISO stamp, and the manager\'s summary line', () => {
    expect(localTime('2026-01-02T03:04:05.000Z', 'Europe/Brussels')).toBe('2 January 2026 at 04:04 CET')
    const html = reportHtml({ ...report([leaky]), summary: { ...report([leaky]).summary, headline: '1 third party is contacted before consent: tracker.example.' } })
    expect(html).not.toContain('2026-01-02T03:04:05')
    expect(html).toContain('<p class="headline">1 third party is contacted before consent: tracker.example.</p>')
  })

  it('shows each finding\'s suggested fix ready to copy, who made the request, and a cookie inventory per visit', () => {
    const fixed = {
      ...leaky,
      violations: [{ ...leaky.violations[0], initiator: { type: 'script', url: 'http://tracker.example/loader.js' }, fix: { text: 'Nothing covers this host: add a rule.', code: "{ match: 'tracker.example', category: 'marketing' }" } }],
      visits: {
        none: { cookies: [{ name: '_ga', domain: 'site.example', lifetime: '1 year', setBy: 'script', phase: 'load', allowed: false }] },
        reject: null,
        accept: { cookies: [{ name: '_fbp', domain: 'site.example', lifetime: 'session', setBy: 'ads.example', phase: 'reload', allowed: false }] },
      },
    }
    const html = reportHtml(report([fixed]))
    expect(html).toContain('<pre><code>{ match: &#39;tracker.example&#39;, category: &#39;marketing&#39; }</code></pre>')
    expect(html).toContain('http:<wbr>//tracker.example<wbr>/loader.js (script)')
    expect(html).toContain('<h3>Cookie inventory</h3>')
    expect(html).toMatch(/<td data-label="Cookie">_ga<\/td><td data-label="Domain">site.example<\/td><td data-label="Lifetime">1 year<\/td><td data-label="Set by">a script on the page<\/td><td data-label="When"><span class="bad-text">before consent<\/span>/)
    expect(html).toMatch(/<td data-label="Cookie">_fbp<\/td>.*<td data-label="Lifetime">session<\/td><td data-label="Set by">ads.example<\/td><td data-label="When">after consent/)
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
