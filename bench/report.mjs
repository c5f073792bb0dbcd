// Turns the benchmark's raw runs into figures, ratios against the anchors and budget verdicts, as text or Markdown.
import { formatTable } from '../scripts/size.mjs'

/** @typedef {{ raw: number, gzip: number, brotli: number }} Sizes */
/** @typedef {{ gate: Sizes, ui: Sizes, gateUi: Sizes, vcc: Sizes, orejime: Sizes, deferred?: Record<string, Sizes> }} SizeTable */
/** @typedef {{ banner?: number, script?: number, returning: number }} Run */
/** @typedef {{ withMs: number, withoutMs: number, ratio: number, raw?: any }} Intercept */

/** The project's performance targets (see docs/performance.md). */
export const BUDGETS = { gateBrotli: 4096, gateUiBrotli: 12288, bannerVsFastestAnchor: 0.8, returningDeltaMs: 10, interceptRatio: 1.2 }
export const ANCHORS = ['vcc', 'orejime']

/**
 * Median of numbers (mean of the middle two for an even count).
 * @param {number[]} values
 */
export function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** @param {number | null | undefined} v */
const ms = (v) => (v === null || v === undefined ? '—' : `${Math.round(v)}`)
/** @param {number | null | undefined} v */
const signed = (v) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${Math.round(v)}`)
/** @param {number | undefined} a @param {number | undefined} b */
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—')
/** @param {boolean | null} ok */
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'ok' : 'OVER')

/**
 * The summary of a benchmark run.
 * @param {{ sizes: SizeTable, runs: Record<string, Run[]>, intercept: Intercept | null }} raw
 */
export function summarize({ sizes, runs, intercept }) {
  /** @type {Record<string, number>} */
  const banner = {}
  /** @type {Record<string, number>} */
  const script = {}
  /** @type {Record<string, number>} */
  const returning = {}
  /** @type {Record<string, number>} */
  const delta = {}
  for (const v of ['minopio', ...ANCHORS]) {
    banner[v] = median(/** @type {number[]} */ (runs[v].map((r) => r.banner)))
    script[v] = median(runs[v].map((r) => r.script ?? NaN))
    // Paired: each run's returning visit minus the plain page's load in the same round.
    delta[v] = median(runs[v].map((r, i) => r.returning - runs.plain[i].returning))
  }
  for (const v of ['minopio', ...ANCHORS, 'plain']) returning[v] = median(runs[v].map((r) => r.returning))
  const fastest = Math.min(...ANCHORS.map((a) => banner[a]))
  return {
    sizes,
    banner,
    script,
    returning,
    delta,
    intercept,
    verdicts: {
      gateBrotli: sizes.gate.brotli <= BUDGETS.gateBrotli,
      gateUiBrotli: sizes.gateUi.brotli <= BUDGETS.gateUiBrotli,
      banner: banner.minopio <= BUDGETS.bannerVsFastestAnchor * fastest,
      returning: delta.minopio <= BUDGETS.returningDeltaMs,
      script: script.minopio <= script.orejime,
      intercept: intercept ? intercept.ratio <= BUDGETS.interceptRatio : null,
    },
  }
}

/**
 * The two tables of the report: bytes, and timings with ratios and budgets.
 * @param {ReturnType<typeof summarize>} s
 * @param {{ markdown?: boolean }} [options]
 */
export function formatReport(s, options = {}) {
  const z = s.sizes
  const bytes = formatTable(['bytes', 'raw', 'gzip', 'brotli', 'Minopio ÷ this (brotli)', 'budget (brotli)'], [
    ['Minopio gate (minopio-consent.js)', z.gate.raw, z.gate.gzip, z.gate.brotli, '', `≤ ${BUDGETS.gateBrotli} ${verdict(s.verdicts.gateBrotli)}`],
    ['Minopio UI (minopio-consent-ui.js, CSS inside)', z.ui.raw, z.ui.gzip, z.ui.brotli, '', ''],
    ['Minopio gate + UI (first visit, before the banner)', z.gateUi.raw, z.gateUi.gzip, z.gateUi.brotli, '', `≤ ${BUDGETS.gateUiBrotli} ${verdict(s.verdicts.gateUiBrotli)}`],
    // The strict gate is not deferred: a site with `strict: true` loads it in <head> instead of minopio-consent.js.
    ...Object.entries(z.deferred ?? {}).map(([n, d]) => [`Minopio ${n} (${n.includes('strict') ? 'the gate instead, with strict: true' : 'deferred, on demand'})`, d.raw, d.gzip, d.brotli, '', '']),
    ['vanilla-cookieconsent 3.1.0 (JS + CSS)', z.vcc.raw, z.vcc.gzip, z.vcc.brotli, ratio(z.gateUi.brotli, z.vcc.brotli), ''],
    ['orejime 3.2.1 (JS + CSS, en)', z.orejime.raw, z.orejime.gzip, z.orejime.brotli, ratio(z.gateUi.brotli, z.orejime.brotli), ''],
  ], options)
  const b = s.banner
  const d = s.delta
  const fastest = Math.min(...ANCHORS.map((a) => b[a]))
  const timings = formatTable(['median (ms)', 'Minopio', 'vanilla-cc', 'orejime', 'no SDK (plain tags)', 'Minopio ÷ vanilla-cc', 'Minopio ÷ orejime', 'budget'], [
    ['first visit: banner visible', ms(b.minopio), ms(b.vcc), ms(b.orejime), '', ratio(b.minopio, b.vcc), ratio(b.minopio, b.orejime),
      `≤ ${BUDGETS.bannerVsFastestAnchor}× fastest anchor (${ms(BUDGETS.bannerVsFastestAnchor * fastest)}) ${verdict(s.verdicts.banner)}`],
    ['first visit: main-thread script time (whole page, CDP ScriptDuration)', ms(s.script?.minopio), ms(s.script?.vcc), ms(s.script?.orejime), '',
      ratio(s.script?.minopio, s.script?.vcc), ratio(s.script?.minopio, s.script?.orejime), `≤ orejime ${verdict(s.verdicts.script ?? null)}`],
    ['returning visit: all gated tags ran', ms(s.returning.minopio), ms(s.returning.vcc), ms(s.returning.orejime), ms(s.returning.plain),
      ratio(s.returning.minopio, s.returning.vcc), ratio(s.returning.minopio, s.returning.orejime), ''],
    ['returning visit: later than plain tags', signed(d.minopio), signed(d.vcc), signed(d.orejime), '0', '', '',
      `≤ +${BUDGETS.returningDeltaMs} ms ${verdict(s.verdicts.returning)}`],
    [`1,000 scripts + 1,000 imgs inserted${s.intercept?.raw?.scenarios?.unrelated?.wall ? ' (main-thread CPU)' : ''}`, s.intercept ? `${ms(s.intercept.withMs)}` : '—', '', '', s.intercept ? `${ms(s.intercept.withoutMs)}` : '—',
      '', '', s.intercept ? `≤ ${BUDGETS.interceptRatio}× no SDK: ${s.intercept.ratio.toFixed(2)}× ${verdict(s.verdicts.intercept)}` : 'not measured'],
  ], options)
  const note = s.intercept?.raw?.what ? `\n\nInterception (bench/intercept.mjs, median of ${s.intercept.raw.runs}): ${s.intercept.raw.what}.` : ''
  return `${bytes}\n\n${timings}${note}`
}
