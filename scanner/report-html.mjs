// The HTML report: one self-contained file (no script, no external resource) a marketing person can open, on a
// laptop or a phone: tables become cards on narrow screens, long URLs wrap after their slashes, not letter by letter.
import { beforeConsent, VISITS } from './classify.mjs'

/** @typedef {import('./types.mjs').PageReport} PageReport */
/** @typedef {import('./types.mjs').Violation} Violation */

/**
 * Escapes text for HTML content and quoted attribute values.
 * @param {unknown} value
 */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// A URL or path may break before / ? & and # (a <wbr> there, never inside `//`), as style guides break URLs; only a
// piece longer than a line breaks anywhere.
const wrap = (/** @type {unknown} */ value) => String(value ?? '').split(/(?<=[^/])(?=[/?&#])/).map(esc).join('<wbr>')

/** A raw cell: markup already escaped. */
const raw = (/** @type {string} */ html) => ({ html })

/**
 * A table that turns into one card per row on a narrow screen, each cell labelled with its column.
 * @param {string[]} head @param {unknown[][]} rows cells: text, or `raw(html)`
 */
const table = (head, rows) =>
  `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c, i) => `<td data-label="${esc(head[i])}">${
      c && typeof c === 'object' && 'html' in c ? c.html : esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`

const STATE_WORDS = { blocked: 'blocked', released: 'ran', loaded: 'ran (loaded)', error: 'failed to load' }
/** @param {string | null} s */
const state = (s) => (s ? STATE_WORDS[/** @type {keyof STATE_WORDS} */ (s)] ?? s : 'not seen')
const VISIT_NAMES = { none: 'No decision', reject: 'After “Reject all”', accept: 'After “Accept all”' }
const SEEN = { none: 'no decision', reject: 'after “Reject all”', accept: 'before “Accept all”' }

/** Who made a request, never the consent SDK: the script that asked, the page's HTML, or the released tag. */
const madeBy = (/** @type {Violation} */ v) => {
  if (v.kind === 'cookie') return `set by ${v.setBy === 'script' ? 'a script on the page' : v.setBy}`
  if (v.kind === 'tag') return 'released by the gate before consent'
  const i = v.initiator
  const by = !i ? '' : i.type === 'released' ? 'the tag itself, released by the gate' : i.type === 'parser' ? `the page's HTML (${i.url ?? ''})` : `${i.url ?? 'a script'} (${i.type})`
  return v.heldByGate ? `${by}; held by the gate, but the browser fetched the file` : by
}

/** @param {import('./types.mjs').Fix | null | undefined} fix */
const fixHtml = (fix) => (fix ? `${esc(fix.text)}${fix.code ? `<pre><code>${esc(fix.code)}</code></pre>` : ''}` : '')

/** @param {PageReport} p */
function cookiesHtml(p) {
  const parts = []
  for (const name of VISITS) {
    const v = p.visits[name]
    if (!v || !v.cookies.length) continue
    parts.push(`<h4>${esc(VISIT_NAMES[name])} (${v.cookies.length})</h4>${table(['Cookie', 'Domain', 'Lifetime', 'Set by', 'When'], v.cookies.map((c) => [
      c.name, c.domain, c.lifetime ?? '', c.setBy === 'script' ? 'a script on the page' : c.setBy,
      raw(beforeConsent(name, c.phase) ? `<span class="${c.allowed ? '' : 'bad-text'}">before consent${c.allowed ? ' (necessary)' : ''}</span>` : 'after consent'),
    ]))}`)
  }
  return parts.length ? `<h3>Cookie inventory</h3>${parts.join('')}` : ''
}

/** @param {PageReport} p */
function pageHtml(p) {
  const bad = p.error || p.violations.length || p.problems.length
  const verdict = p.error ? 'Could not be checked' : p.violations.length ? `${p.violations.length} violation(s)` : p.problems.length ? 'Problems' : 'Clean'
  const parts = [`<section><h2><span class="badge ${bad ? 'bad' : 'ok'}">${esc(verdict)}</span> <a href="${esc(p.url)}">${wrap(p.url)}</a></h2>`]
  if (p.error) return `${parts[0]}<p class="bad-text">${esc(p.error)}</p></section>`
  if (p.sdk) {
    parts.push(`<p>Minopio Consent ${esc(p.sdk.version)}, privacy policy version ${esc(p.sdk.policyVersion)}. Categories: ${
      esc(p.sdk.categories.map((c) => (c.required ? `${c.id} (always on)` : c.id)).join(', '))}.</p>`)
  }
  for (const n of p.notes) parts.push(`<p class="note">${esc(n)}</p>`)
  if (p.problems.length) parts.push(`<h3>Problems: what could not be checked as a visitor would</h3><ul class="bad-text">${p.problems.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`)
  parts.push('<h3>Before consent: violations</h3>')
  parts.push(p.violations.length
    ? `<p>These contacted a third party or stored a cookie before the visitor agreed (without a decision, or after “Reject all”). Each one must be gated: the last column says how.</p>${
      table(['What', 'Who', 'Item', 'Seen', 'Made by', 'Suggested fix'], p.violations.map((v) => [
        `${v.kind}${v.type ? ` (${v.type})` : ''}${v.known === false ? ' — new' : v.known ? ' — known' : ''}`, raw(wrap(v.host)), raw(wrap(v.what)),
        v.visits.map((x) => SEEN[x]).join(', '), raw(wrap(madeBy(v))), raw(fixHtml(v.fix)),
      ]))}`
    : '<p>None: nothing contacted a third party or stored a cookie before consent.</p>')
  if (p.sdk) {
    parts.push('<h3>Gated tags</h3>')
    parts.push(p.tags.length
      ? table(['Service', 'Category', 'Gated by', 'Kind', 'Tag', 'No decision', 'After “Reject all”', 'After “Accept all”'], p.tags.map((t) => [
        t.service ?? '—', t.category, t.via === 'markup' ? 'page markup' : 'URL rule', t.kind, raw(t.url ? wrap(t.url) : `inline script: ${esc(t.snippet)}`),
        state(t.states.none), state(t.states.reject), state(t.states.accept)]))
      : '<p>No tag is gated on this page.</p>')
    parts.push('<h3>After “Accept all”: under-firing</h3>')
    parts.push(p.underFiring.length
      ? `<p>These tags never ran even though the visitor accepted everything: their data is lost.</p>${
        table(['Category', 'Kind', 'Tag', 'State'], p.underFiring.map((u) => [u.category, u.kind, raw(u.url ? wrap(u.url) : `inline script: ${esc(u.snippet)}`), state(u.state)]))}`
      : '<p>None: every gated tag ran after “Accept all”.</p>')
    parts.push(`<p>Third parties contacted after “Accept all”: ${
      p.afterAccept.length ? p.afterAccept.map((a) => `<b>${esc(a.host)}</b> (${wrap(a.paths.join(', '))})`).join('; ') : 'none'}.</p>`)
  }
  parts.push(cookiesHtml(p))
  return `${parts.join('\n')}</section>`
}

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.5rem;overflow-wrap:break-word}h3{font-size:1.05rem;margin:1.5rem 0 .3rem}h4{font-size:.95rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f2f2f2;hyphens:manual}td{min-width:4rem}pre{margin:.3rem 0 0;padding:.4rem .5rem;background:#f5f5f5;border:1px solid #ddd;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
code{font:.85rem/1.4 ui-monospace,Menlo,Consolas,monospace;user-select:all}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;font-size:.85rem;color:#fff}
.ok{background:#1d6b35}.bad{background:#b3261e}.bad-text{color:#8c1d18}.note{color:#444}.summary{font-size:1.1rem}.headline{font-size:1.15rem;font-weight:600}
@media(max-width:640px){body{margin:1rem auto}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table,tbody,tr,td{display:block}tr{border:1px solid #ccc;border-radius:6px;margin:0 0 .6rem;padding:.3rem .5rem}td{border:0;padding:.15rem 0;display:grid;grid-template-columns:6.5rem 1fr;gap:.5rem}
td:before{content:attr(data-label);font-weight:600}td>pre{grid-column:2}}`

/**
 * When the scan ran, in the local time of the machine that ran it, with its time zone.
 * @param {string} iso
 * @param {string} [timeZone] default: the machine's
 */
export function localTime(iso, timeZone) {
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone })
}

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
${s.headline ? `<p class="headline">${esc(s.headline)}</p>` : ''}
<p>Each page was opened three times in a fresh browser: without answering the cookie banner, after clicking “Reject all”, and after clicking “Accept all”. Scanned ${esc(localTime(report.scannedAt))}${
  report.options.allow.length ? `; hosts declared necessary: ${esc(report.options.allow.join(', '))}` : ''}.</p>
${report.pages.map(pageHtml).join('\n')}
</body></html>
`
}
