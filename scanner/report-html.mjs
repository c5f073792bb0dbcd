// The HTML report: one self-contained file (no script, no external resource) a marketing person can open.
import { VISIT_LABELS } from './report-text.mjs'

/** @typedef {import('./types.mjs').PageReport} PageReport */

/**
 * Escapes text for HTML content and quoted attribute values.
 * @param {unknown} value
 */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** @param {string[]} head @param {unknown[][]} rows */
const table = (head, rows) =>
  `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`

const STATE_WORDS = { blocked: 'blocked', released: 'ran', loaded: 'ran (loaded)', error: 'failed to load' }
/** @param {string | null} s */
const state = (s) => (s ? STATE_WORDS[/** @type {keyof STATE_WORDS} */ (s)] ?? s : 'not seen')

/** @param {PageReport} p */
function pageHtml(p) {
  const bad = p.error || p.violations.length || p.problems.length
  const verdict = p.error ? 'Could not be checked' : p.violations.length ? `${p.violations.length} violation(s)` : p.problems.length ? 'Problems' : 'Clean'
  const parts = [`<section><h2><span class="badge ${bad ? 'bad' : 'ok'}">${esc(verdict)}</span> <a href="${esc(p.url)}">${esc(p.url)}</a></h2>`]
  if (p.error) return `${parts[0]}<p class="bad-text">${esc(p.error)}</p></section>`
  if (p.sdk) {
    parts.push(`<p>Minopio Consent ${esc(p.sdk.version)}, privacy policy version ${esc(p.sdk.policyVersion)}. Categories: ${
      esc(p.sdk.categories.map((c) => (c.required ? `${c.id} (always on)` : c.id)).join(', '))}.</p>`)
  }
  for (const n of p.notes) parts.push(`<p class="note">${esc(n)}</p>`)
  if (p.problems.length) parts.push(`<h3>Problems: what could not be checked as a visitor would</h3><ul class="bad-text">${p.problems.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`)
  parts.push('<h3>Before consent: violations</h3>')
  parts.push(p.violations.length
    ? `<p>These contacted a third party or stored a cookie before the visitor agreed (without a decision, or after “Reject all”). Each one must be gated.</p>${
      table(['What', 'Who', 'Item', 'Type', 'Seen', 'How'], p.violations.map((v) => [
        v.kind, v.host, v.what, v.type, v.visits.map((x) => VISIT_LABELS[x]).join(', '),
        v.kind === 'cookie' ? `set by ${v.setBy}` : v.heldByGate ? 'held by the gate, but the browser fetched the file' : v.initiator ? `${v.initiator.type} ${v.initiator.url ?? ''}` : '',
      ]))}`
    : '<p>None: nothing contacted a third party or stored a cookie before consent.</p>')
  if (p.sdk) {
    parts.push('<h3>Gated tags</h3>')
    parts.push(p.tags.length
      ? table(['Category', 'Gated by', 'Kind', 'Tag', 'No decision', 'After “Reject all”', 'After “Accept all”'], p.tags.map((t) => [
        t.category, t.via === 'markup' ? 'page markup' : 'URL rule', t.kind, t.url ?? `inline script: ${t.snippet ?? ''}`,
        state(t.states.none), state(t.states.reject), state(t.states.accept)]))
      : '<p>No tag is gated on this page.</p>')
    parts.push('<h3>After “Accept all”: under-firing</h3>')
    parts.push(p.underFiring.length
      ? `<p>These tags never ran even though the visitor accepted everything: their data is lost.</p>${
        table(['Category', 'Kind', 'Tag', 'State'], p.underFiring.map((u) => [u.category, u.kind, u.url ?? `inline script: ${u.snippet ?? ''}`, state(u.state)]))}`
      : '<p>None: every gated tag ran after “Accept all”.</p>')
    parts.push(`<p>Third parties contacted after “Accept all”: ${
      p.afterAccept.length ? p.afterAccept.map((a) => `<b>${esc(a.host)}</b> (${esc(a.paths.join(', '))})`).join('; ') : 'none'}.</p>`)
  }
  return `${parts.join('\n')}</section>`
}

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.5rem;word-break:break-all}h3{font-size:1rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f2f2f2}.badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;font-size:.85rem;color:#fff}
.ok{background:#1d6b35}.bad{background:#b3261e}.bad-text{color:#8c1d18}.note{color:#444}.summary{font-size:1.1rem}`

/**
 * The scan as one HTML document; every value from the pages scanned is escaped.
 * @param {import('./types.mjs').ScanReport} report
 * @returns {string}
 */
export function reportHtml(report) {
  const s = report.summary
  const summary = s.clean
    ? 'All clear: no page contacted a third party or stored a cookie before consent.'
    : `${s.violations} violation(s) before consent, ${s.errors} page(s) not checked, across ${s.pages} page(s).`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Consent scan — ${esc(s.clean ? 'clean' : 'violations found')}</title><style>${CSS}</style></head><body>
<h1>Consent scan</h1>
<p class="summary"><span class="badge ${s.clean ? 'ok' : 'bad'}">${s.clean ? 'Clean' : 'Needs attention'}</span> ${esc(summary)} ${esc(s.underFiring)} tag(s) under-firing.</p>
<p>Each page was opened three times in a fresh browser: without answering the cookie banner, after clicking “Reject all”, and after clicking “Accept all”. Scanned ${esc(report.scannedAt)}${
  report.options.allow.length ? `; hosts declared necessary: ${esc(report.options.allow.join(', '))}` : ''}.</p>
${report.pages.map(pageHtml).join('\n')}
</body></html>
`
}
