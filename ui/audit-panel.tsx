import type { TagReport } from '../src/types'
import type { Ui } from './actions'
import { Dialog } from './dialog'
import { fill } from './texts'

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
 * The audit panel for marketing staff: every gated tag, the third-party requests nothing covers, CSV export.
 * @param props the UI handle, the registry and the uncovered requests
 */
export function AuditPanel({ ui, tags, requests }: { ui: Ui; tags: readonly TagReport[]; requests: string[] }) {
  const { t, api } = ui
  const time = (tag: TagReport) => new Date(when(tag)).toLocaleTimeString(api.config.lang)
  const heads = [t.auditCategory, t.auditUrl, t.auditVia, t.auditState, t.auditTime]
  // On a phone the rows become cards (CSS); each cell then shows its column name from `data-label`.
  const cells = (tag: TagReport) => [tag.category, what(tag), tag.via, tag.once ? fill(t.auditOnce, { state: tag.state }) : tag.state, time(tag)]
  return (
    <Dialog ui={ui} title={t.auditTitle} wide>
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
      {requests.length ? <ul>{requests.map((url) => <li key={url}>{url}</li>)}</ul> : <p>{t.auditNone}</p>}
      <div class="bs">
        <button class="b" data-action="export" onClick={(e) => download(auditCsv(tags, requests), (e.currentTarget as Node).getRootNode())}>
          {t.exportCsv}
        </button>
      </div>
    </Dialog>
  )
}
