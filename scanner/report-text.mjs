// The readable report: one block per page, tables in plain text for a terminal or a CI log.

/** @typedef {import('./types.mjs').PageReport} PageReport */
/** @typedef {import('./types.mjs').Violation} Violation */

/** How each visit is called in reports. */
export const VISIT_LABELS = /** @type {const} */ ({ none: 'no decision', reject: 'reject all', accept: 'before accept' })

const MAX_CELL = 70

/** @param {string} s */
const cut = (s) => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s)

/**
 * Lays out rows as aligned columns, indented; long cells are cut, except in the last column (the explanation).
 * @param {string[]} head @param {string[][]} rows @param {string} [indent]
 */
export function table(head, rows, indent = '    ') {
  const cells = [head, ...rows].map((r) => r.map((c, i) => {
    const s = String(c ?? '').replace(/\s+/g, ' ')
    return i < r.length - 1 ? cut(s) : s
  }))
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  return cells.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n')
}

/** @param {number} n @param {string} one */
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`

/** @param {Violation} v */
function origin(v) {
  if (v.kind === 'cookie') return `set by ${v.setBy}`
  if (v.kind === 'tag') return 'released by the gate'
  const i = v.initiator
  const by = !i ? '' : i.type === 'released' ? 'the tag itself, released by the gate' : `${i.type}${i.url ? ` ${i.url}` : ''}`
  return v.heldByGate ? `${by} (held by the gate but fetched: mark it type="text/plain" data-consent)` : by
}

/**
 * One page as text.
 * @param {PageReport} p
 * @returns {string}
 */
export function pageText(p) {
  const out = []
  const verdict = p.error ? 'NOT SCANNED' : p.violations.length ? `VIOLATIONS: ${p.violations.length}` : p.problems.length ? 'PROBLEMS' : 'clean'
  out.push(`${p.url}  [${verdict}]`)
  if (p.error) return `${out[0]}\n  ${p.error}`
  if (p.sdk) {
    const cats = p.sdk.categories.map((c) => (c.required ? `${c.id} (required)` : c.id)).join(', ')
    out.push(`  Minopio Consent ${p.sdk.version}, policy ${p.sdk.policyVersion}; categories: ${cats}`)
  }
  for (const n of p.notes) out.push(`  Note: ${n}`)
  for (const n of p.problems) out.push(`  Problem: ${n}`)
  if (p.sdk) {
    out.push(`  Gated tags (${p.tags.length}): what the gate holds, by what, and its state at the end of each visit`)
    if (p.tags.length) {
      out.push(table(['SERVICE', 'CATEGORY', 'VIA', 'KIND', 'TAG', 'NO DECISION', 'REJECT ALL', 'ACCEPT ALL'],
        p.tags.map((t) => [t.service ?? '-', t.category, t.via, t.kind, t.url ?? `inline: ${t.snippet ?? ''}`, t.states.none ?? 'not seen', t.states.reject ?? 'not seen', t.states.accept ?? 'not seen'])))
    }
  }
  out.push(`  Violations (${p.violations.length}): third-party requests, cookies and tags before consent`)
  if (p.violations.length) {
    out.push(table(['WHAT', 'WHO', 'ITEM', 'TYPE', 'SEEN IN', 'HOW'],
      p.violations.map((v) => [v.kind, v.host, v.what, v.type ?? '', v.visits.map((x) => VISIT_LABELS[x]).join(', '), origin(v)])))
    for (const v of p.violations) {
      if (!v.fix) continue
      out.push(`    Fix ${v.kind} ${v.host} ${v.what}${v.known ? ' (known: in the baseline)' : ''}: ${v.fix.text}`)
      if (v.fix.code) out.push(`      ${v.fix.code}`)
    }
  }
  if (p.sdk) {
    out.push(`  Under-firing (${p.underFiring.length}): gated tags that never ran, even after accept all`)
    if (p.underFiring.length) {
      out.push(table(['CATEGORY', 'KIND', 'TAG', 'STATE'], p.underFiring.map((u) => [u.category, u.kind, u.url ?? `inline: ${u.snippet ?? ''}`, u.state])))
    }
    const after = p.afterAccept.map((a) => `${a.host} (${a.paths.join(', ')})`).join('; ')
    out.push(`  Third parties contacted after accept all: ${after || 'none'}`)
  }
  return out.join('\n')
}

/**
 * The whole scan as text: a summary line, then every page.
 * @param {import('./types.mjs').ScanReport} report
 * @returns {string}
 */
export function reportText(report) {
  const s = report.summary
  const head = `minopio-scan: ${plural(s.pages, 'page')}, ${plural(s.violations, 'violation')}, ${s.underFiring} under-firing, ` +
    `${plural(s.errors, 'page')} not scanned: ${s.clean ? 'CLEAN' : 'NOT CLEAN'}`
  const strict = s.strictHosts?.length
    ? [`Third-party hosts no rule names (strict mode blocks them; list the ones the site needs as necessary):\n` +
      `  rules: [\n${s.strictHosts.map((h) => `    { match: '${h}', category: 'necessary' },`).join('\n')}\n  ]`]
    : []
  return [s.headline ? `${head}\n${s.headline}` : head, ...report.pages.map(pageText), ...strict].join('\n\n') + '\n'
}
