// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { buildReport, checkUrl } from '../scanner/scan.mjs'

const OPTIONS = { allow: [], allowCookies: [], timeout: 1000, wait: 0, crawl: 0 }
const page = (parts: Record<string, unknown> = {}) => ({
  url: 'http://site.example/', error: null, problems: [], notes: [], sdk: null, visits: { none: null, reject: null, accept: null },
  tags: [], violations: [], underFiring: [], afterAccept: [], links: [], ...parts,
})

describe('scan inputs and the summary', () => {
  it('accepts http and https URLs only, with a hint for a bare domain', () => {
    expect(checkUrl('https://www.minopio.com/')).toBeNull()
    expect(checkUrl('http://127.0.0.1:8080/a?b')).toBeNull()
    expect(checkUrl('file:///etc/passwd')).toBe('not an http(s) URL (file): only web pages can be scanned')
    expect(checkUrl('minopio.com')).toBe('not a URL: did you mean https://minopio.com ?')
    expect(checkUrl('::')).toBe('not a URL')
  })

  it('is clean only when every page was scanned without violation or problem', () => {
    const at = new Date('2026-01-02T03:04:05.000Z')
    expect(buildReport([page(), page()], OPTIONS, at)).toEqual({
      tool: 'minopio-scan', schema: 1, scannedAt: '2026-01-02T03:04:05.000Z', options: OPTIONS,
      summary: { pages: 2, errors: 0, violations: 0, underFiring: 0, clean: true, headline: expect.stringMatching(/^Nothing happens before consent/), strictHosts: [] }, pages: [page(), page()],
    })
    expect(buildReport([page(), page({ error: 'could not load the page' })], OPTIONS).summary).toMatchObject({ errors: 1, clean: false })
    expect(buildReport([page({ problems: ['no banner'] })], OPTIONS).summary.clean).toBe(false)
    expect(buildReport([page({ violations: [{}, {}] })], OPTIONS).summary).toMatchObject({ violations: 2, clean: false })
  })

  it('sums the findings up in one line a manager can read, names included', () => {
    const v = (kind: string, host: string, what: string) => ({ kind, host, what })
    const pages = [
      page({ violations: [v('request', 'ads.example', '/p.gif'), v('request', 'ads.example', '/q.gif'), v('request', 'px.example', '/x'), v('cookie', 'site.example', '_fbp')] }),
      page({ error: 'could not load the page', underFiring: [{ url: 'https://t.example/a.js', snippet: null }] }),
    ]
    expect(buildReport(pages, OPTIONS).summary.headline).toBe(
      '2 third parties are contacted before consent: ads.example, px.example. 1 cookie is stored before consent: _fbp. ' +
      '1 gated tag never runs, even after “Accept all”: https://t.example/a.js. 1 page could not be checked.')
  })

  it('does not let under-firing alone fail the scan', () => {
    expect(buildReport([page({ underFiring: [{}] })], OPTIONS).summary).toMatchObject({ underFiring: 1, clean: true })
  })

  it('lists the third-party hosts no rule names, as strict mode\'s rules would need them', () => {
    const request = (url: string, extra: Record<string, unknown> = {}) => ({ url, sdk: false, rule: null, ...extra })
    const visit = (requests: unknown[]) => ({ requests })
    const pages = [page({ visits: {
      none: visit([request('https://fonts.cdn.example/a.woff2'), request('https://ads.example/p.gif', { rule: 'marketing' })]),
      reject: visit([request('https://log.example/consent', { sdk: true })]),
      accept: visit([request('https://px.stats.example/s.js'), request('http://127.0.0.1:8081/x.js'), request('https://fonts.cdn.example/b.woff2')]),
    } })]
    expect(buildReport(pages, OPTIONS).summary.strictHosts).toEqual(['127.0.0.1:8081', 'fonts.cdn.example', 'px.stats.example'])
  })
})
