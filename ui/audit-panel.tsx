import type { ResolvedConfig, TagReport } from '../src/types'
import { suggestMatch, suggestRule } from '../src/rule-matcher'
import type { Ui } from './actions'
import { fill, pick } from './texts'

const when = (tag: TagReport) => tag.times[tag.state] ?? tag.times.blocked
const what = (tag: TagReport) => tag.url ?? tag.snippet ?? tag.hash ?? ''
// The CSV is for machines: English state words, whatever language the panel shows.
const state = (tag: TagReport) => (tag.once ? `${tag.state} (once)` : tag.state)

// A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection): quote it with '.
const cell = (v: string) => `"${(/^[=+\-@\t\r]/.test(v) ? "'" + v : v).replace(/"/g, '""')}"`

/**
 * The audit as CSV (RFC 4180: quoted cells, CRLF): one row per gated tag, then one per uncovered request.
 * @param tags the gate's registry
 * @param requests uncovered third-party URLs
 */
export function auditCsv(tags: readonly TagReport[], requests: readonly string[]): string {
  const rows = [['kind', 'category', 'url_or_snippet', 'via', 'state', 'time']]
  for (const tag of tags) rows.push([tag.kind, tag.category, what(tag), tag.via, state(tag), new Date(when(tag)).toISOString()])
  for (const url of requests) rows.push(['request', '', url, 'none', 'uncovered', ''])
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

/** Service name and provider of a tag gated by a service, else `null`. */
const serviceOf = (config: ResolvedConfig, tag: TagReport, lang: string) => {
  for (const id of tag.services ?? []) {
    for (const c of config.categories) {
      const s = c.services.find((x) => x.id === id)
      if (s) return [pick(s.name, lang), s.provider].filter(Boolean).join(' · ')
    }
  }
  return null
}

const download = (csv: string, root: Node) => {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  a.download = 'minopio-consent-audit.csv'
  root.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000) // revoking at once can cancel the download
}

/**
 * The audit panel for marketing staff: a non-modal side panel (the page stays visible and usable beside or above
 * it) with every gated tag, the third-party requests nothing covers with a rule to copy for each host, CSV export.
 * @param props the UI handle, the registry and the uncovered requests
 */
export function AuditPanel({ ui, tags, requests }: { ui: Ui; tags: readonly TagReport[]; requests: string[] }) {
  const { t, api } = ui
  const { config } = api
  const lang = config.lang
  const time = (tag: TagReport) => new Date(when(tag)).toLocaleTimeString(lang)
  const label = (id: string) => t.categories[id]?.label ?? id
  const heads = [t.auditService, t.auditCategory, t.auditKind, t.auditUrl, t.auditVia, t.auditState, t.auditTime]
  const words = (tag: TagReport) => t.auditStates[tag.state] ?? tag.state
  // On a phone the rows become cards (CSS); each cell then shows its column name from `data-label`.
  const cells = (tag: TagReport) => {
    const cats = tag.categories.map(label).join(', ')
    return [
      serviceOf(config, tag, lang) ?? cats, cats, t.auditKinds[tag.kind] ?? tag.kind, what(tag), t.auditVias[tag.via] ?? tag.via,
      <span class="st" data-state={tag.state}>{tag.once ? fill(t.auditOnce, { state: words(tag) }) : words(tag)}</span>, time(tag),
    ]
  }
  const hosts = new Map<string, string[]>()
  for (const url of requests) {
    const host = suggestMatch(url)
    hosts.set(host, [...(hosts.get(host) ?? []), url])
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return
    e.preventDefault()
    ui.close()
  }
  // Non-modal (no aria-modal, no backdrop, no focus trap): staff compare the table with the page while they use it.
  return (
    <div class="ap" role="dialog" aria-labelledby="dt" tabIndex={-1} onKeyDown={onKeyDown}>
      <div class="h">
        <h2 id="dt">{t.auditTitle}</h2>
        <button class="x" data-action="close" aria-label={t.close} onClick={ui.close}>×</button>
      </div>
      <h3>{fill(t.auditTags, { n: String(tags.length) })}</h3>
      {tags.length ? (
        <table>
          <thead>
            <tr>{heads.map((h) => <th scope="col">{h}</th>)}</tr>
          </thead>
          <tbody>
            {tags.map((tag) => (
              <tr key={tag.id} data-state={tag.state}>
                {cells(tag).map((v, i) => <td data-label={heads[i]}>{v}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t.auditNone}</p>
      )}
      <h3>{fill(t.auditRequests, { n: String(requests.length) })}</h3>
      {requests.length ? [...hosts].map(([host, urls]) => {
        const rule = suggestRule(config.categories, urls[0])
        return (
          <div class="u" key={host}>
            <ul>{urls.map((url) => <li key={url}>{url}</li>)}</ul>
            <p class="m">{fill(t.auditSuggest, { host })}</p>
            <div class="cp">
              <code data-rule>{rule}</code>
              <button class="b" data-action="copy" onClick={() => navigator.clipboard?.writeText(rule).catch(() => undefined)}>{t.auditCopy}</button>
            </div>
          </div>
        )
      }) : <p>{t.auditNone}</p>}
      <div class="bs">
        <button class="b" data-action="export" onClick={(e) => download(auditCsv(tags, requests), (e.currentTarget as Node).getRootNode())}>
          {t.exportCsv}
        </button>
      </div>
    </div>
  )
}
