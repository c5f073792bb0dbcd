import { describe, expect, it } from 'vitest'
import type { TagReport } from '../src/types'
import { h, render } from 'preact'
import { createUi } from '../ui/actions'
import { AuditPanel, auditCsv } from '../ui/audit-panel'
import { publishTags, q, shadow, startUi, view } from './ui-harness'

const tag = (extra: Partial<TagReport>): TagReport => ({
  id: 1, kind: 'script', url: 'https://ads.example/pixel.js', hash: null, snippet: null, categories: ['marketing'],
  category: 'marketing', services: [], via: 'rule', state: 'blocked', times: { blocked: Date.UTC(2026, 0, 2, 3, 4, 5) }, ...extra,
})

describe('audit panel', () => {
  it('opens as a labelled, non-modal side panel with a row per gated tag: service, category, kind, URL or snippet, via, state, time', async () => {
    const api = await startUi()
    api.showAudit()
    publishTags(api, [
      tag({}),
      tag({ id: 2, kind: 'script', url: null, hash: 'a1b2c3d4', snippet: 'gtag("config")', category: 'analytics', categories: ['analytics'], via: 'markup', state: 'released', times: { blocked: 1, released: 2 }, once: true }),
    ])
    expect(view()).toBe('audit')
    const panel = q('[role="dialog"]')!
    expect(panel.textContent).toContain('Consent audit')
    // The page stays usable beside it: no aria-modal, no backdrop over the page.
    expect(panel.hasAttribute('aria-modal')).toBe(false)
    expect(q('.o')).toBeNull()
    const rows = [...shadow().querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent))
    expect(rows).toEqual([
      ['Marketing', 'Marketing', 'Script', 'https://ads.example/pixel.js', 'URL rule', 'Blocked'],
      ['Analytics', 'Analytics', 'Script', 'gtag("config")', 'Markup', 'Released (once)'],
    ])
    expect([...shadow().querySelectorAll('tbody .st')].map((s) => s.getAttribute('data-state'))).toEqual(['blocked', 'released'])
    expect([...shadow().querySelectorAll('th')].map((th) => th.getAttribute('scope'))).toEqual(Array(7).fill('col'))
  })

  it('speaks the language shown, counts, states and column names included, and labels each cell for the narrow card layout', async () => {
    const api = await startUi({ lang: 'nl' })
    api.showAudit()
    publishTags(api, [tag({ state: 'released', times: { blocked: 1, released: 2 }, once: true })])
    expect(q('h3')?.textContent).toBe('Afgeschermde tags (1)')
    const cells = [...shadow().querySelectorAll('tbody td')]
    expect(cells[5].textContent).toBe('Vrijgegeven (eenmalig)')
    expect(cells.map((td) => td.getAttribute('data-label'))).toEqual(['Dienst / leverancier', 'Categorie', 'Soort', 'URL of code', 'Via', 'Status', 'Tijd'])
  })

  it('names the service and its provider when the gate reports the tag under a configured service', async () => {
    const api = await startUi({
      categories: ['necessary', { id: 'marketing', services: [{ id: 'meta-pixel', name: 'Meta Pixel', provider: 'Meta Platforms' }] }],
    })
    api.showAudit()
    publishTags(api, [tag({ services: ['meta-pixel'] }), tag({ id: 2, url: 'https://other.example/x.js' })])
    const first = [...shadow().querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td')!.textContent)
    expect(first).toEqual(['Meta Pixel · Meta Platforms', 'Marketing'])
  })

  it('groups uncovered requests by host, each with a suggested rule to copy, the port kept only for an IP or localhost', async () => {
    const api = await startUi({ categories: ['necessary', 'analytics', 'partners'] })
    const box = document.createElement('div')
    render(h(AuditPanel, { ui: createUi(api), tags: [], requests: ['https://px.ads.example/a.gif', 'https://px.ads.example:8443/b.gif', 'http://127.0.0.1:9000/t.js'] }), box)
    const groups = [...box.querySelectorAll('.u')].map((u) => [[...u.querySelectorAll('li')].map((li) => li.textContent), u.querySelector('[data-rule]')!.textContent])
    expect(groups).toEqual([
      [['https://px.ads.example/a.gif', 'https://px.ads.example:8443/b.gif'], "{ match: 'px.ads.example', category: 'analytics' }"],
      [['http://127.0.0.1:9000/t.js'], "{ match: '127.0.0.1:9000', category: 'analytics' }"],
    ])
    expect(box.querySelectorAll('[data-action="copy"]')).toHaveLength(2)
    render(null, box)
  })

  it('updates live as the gate reports tags', async () => {
    const api = await startUi()
    api.showAudit()
    expect(shadow().querySelectorAll('tbody tr')).toHaveLength(0)
    publishTags(api, [tag({})])
    publishTags(api, [tag({ state: 'loaded', times: { blocked: 1, released: 2, loaded: 3 } })])
    expect(q('tbody tr')?.getAttribute('data-state')).toBe('loaded')
  })

  it('has an Export CSV button', async () => {
    const api = await startUi()
    api.showAudit()
    expect(q('[data-action="export"]')?.textContent).toBe('Export CSV')
  })
})

describe('auditCsv', () => {
  it('writes a header, one quoted row per tag (time in ISO) and one per uncovered request, CRLF-separated', () => {
    const csv = auditCsv([tag({})], ['https://cdn.other.example/lib.js'])
    expect(csv).toBe(
      '"kind","category","url_or_snippet","via","state","time"\r\n' +
      '"script","marketing","https://ads.example/pixel.js","rule","blocked","2026-01-02T03:04:05.000Z"\r\n' +
      '"request","","https://cdn.other.example/lib.js","none","uncovered",""\r\n',
    )
  })

  it('escapes quotes and defuses spreadsheet formulas in snippets', () => {
    const csv = auditCsv([tag({ url: null, snippet: '=HYPERLINK("x")' })], [])
    expect(csv).toContain('"\'=HYPERLINK(""x"")"')
  })
})
