import { describe, expect, it } from 'vitest'
import type { TagReport } from '../src/types'
import { auditCsv } from '../ui/audit-panel'
import { publishTags, q, shadow, startUi, view } from './ui-harness'

const tag = (extra: Partial<TagReport>): TagReport => ({
  id: 1, kind: 'script', url: 'https://ads.example/pixel.js', hash: null, snippet: null, categories: ['marketing'],
  category: 'marketing', via: 'rule', state: 'blocked', times: { blocked: Date.UTC(2026, 0, 2, 3, 4, 5) }, ...extra,
})

describe('audit panel', () => {
  it('opens as a labelled dialog with a row per gated tag: category, URL or snippet, via, state, time', async () => {
    const api = await startUi()
    api.showAudit()
    publishTags(api, [
      tag({}),
      tag({ id: 2, kind: 'script', url: null, hash: 'a1b2c3d4', snippet: 'gtag("config")', category: 'analytics', categories: ['analytics'], via: 'markup', state: 'released', times: { blocked: 1, released: 2 }, once: true }),
    ])
    expect(view()).toBe('audit')
    expect(q('[role="dialog"]')?.textContent).toContain('Consent audit')
    const rows = [...shadow().querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent))
    expect(rows).toEqual([
      ['marketing', 'https://ads.example/pixel.js', 'rule', 'blocked'],
      ['analytics', 'gtag("config")', 'markup', 'released (once)'],
    ])
    expect([...shadow().querySelectorAll('th')].map((th) => th.getAttribute('scope'))).toEqual(['col', 'col', 'col', 'col', 'col'])
  })

  it('speaks the language shown, counts included, and labels each cell for the narrow card layout', async () => {
    const api = await startUi({ lang: 'nl' })
    api.showAudit()
    publishTags(api, [tag({ state: 'released', times: { blocked: 1, released: 2 }, once: true })])
    expect(q('h3')?.textContent).toBe('Afgeschermde tags (1)')
    const cells = [...shadow().querySelectorAll('tbody td')]
    expect(cells[3].textContent).toBe('released (eenmalig)')
    expect(cells.map((td) => td.getAttribute('data-label'))).toEqual(['Categorie', 'URL of code', 'Via', 'Status', 'Tijd'])
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
