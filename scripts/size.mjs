// `npm run size` (part of `npm test`): raw, gzip and brotli bytes of every dist bundle and of gate + UI, the DESIGN §10
// budgets beside them, and the ratchet: exits 1 when a bundle grew past its entry in size-ratchet.json or is missing.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
export const GATE = 'minopio-consent.js'
export const UI = 'minopio-consent-ui.js'
/** Brotli budgets in bytes: the gate alone, and gate + UI (the UI carries its CSS and all four languages). */
export const BUDGETS = { gate: 4096, gateUi: 12288 }

/** The ratchet file: achieved brotli bytes per bundle. It only moves down; raising an entry is a change that says why. */
export const RATCHET = fileURLToPath(new URL('../size-ratchet.json', import.meta.url))

/**
 * Raw, gzip (level 9) and brotli (quality 11) sizes of some bytes.
 * @param {Buffer} bytes
 * @returns {{ raw: number, gzip: number, brotli: number }}
 */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

/**
 * Adds sizes up: files downloaded separately are compressed separately.
 * @param {{ raw: number, gzip: number, brotli: number }[]} list
 */
export function sum(list) {
  return list.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 })
}

/**
 * Measures the IIFE bundles in a dist folder.
 * @param {string} [dist] folder holding `minopio-consent.js` (and `minopio-consent-ui.js` once the UI exists)
 * @returns {{ rows: { name: string, raw: number, gzip: number, brotli: number, budget?: number }[], problems: string[] }}
 *   one row per bundle plus a "gate + UI" row; `problems` says what is over budget or missing
 */
export function measureDist(dist = DIST) {
  const names = readdirSync(dist).filter((n) => n.endsWith('.js')).sort()
  const problems = []
  if (!names.includes(GATE)) problems.push(`${join(dist, GATE)} is missing: run npm run build`)
  if (!names.includes(UI)) problems.push(`${join(dist, UI)} is missing: the UI did not build (ui/index.tsx), so gate + UI cannot be checked`)
  const measured = new Map(names.map((n) => [n, sizes(readFileSync(join(dist, n)))]))
  const rows = names.map((name) => ({ name, .../** @type {ReturnType<typeof sizes>} */ (measured.get(name)), ...(name === GATE ? { budget: BUDGETS.gate } : {}) }))
  if (measured.has(GATE)) {
    rows.push({ name: 'gate + UI', ...sum([/** @type {ReturnType<typeof sizes>} */ (measured.get(GATE)), measured.get(UI) ?? { raw: 0, gzip: 0, brotli: 0 }]), budget: BUDGETS.gateUi })
  }
  for (const row of rows) {
    if (row.budget !== undefined && row.brotli > row.budget) problems.push(`${row.name} is ${row.brotli} B brotli, over its budget of ${row.budget} B by ${row.brotli - row.budget} B`)
  }
  return { rows, problems }
}

/**
 * Compares measured bundles with the ratchet.
 * @param {{ name: string, brotli: number }[]} rows from `measureDist`
 * @param {Record<string, number>} ratchet achieved brotli bytes by bundle name
 * @returns {{ grew: string[], shrank: string[] }} `grew` fails the build; `shrank` asks for the entry to be lowered
 */
export function checkRatchet(rows, ratchet) {
  const grew = []
  const shrank = []
  for (const row of rows) {
    const entry = ratchet[row.name]
    if (entry === undefined) {
      if (row.name.endsWith('.js')) grew.push(`${row.name} has no entry in size-ratchet.json: add "${row.name}": ${row.brotli}`)
    } else if (row.brotli > entry) {
      grew.push(`${row.name} is ${row.brotli} B brotli, past its ratchet entry of ${entry} B by ${row.brotli - entry} B: shrink it, or raise the entry in size-ratchet.json and say why in the commit`)
    } else if (row.brotli < entry) {
      shrank.push(`${row.name} shrank to ${row.brotli} B brotli (entry ${entry} B): lower its entry in size-ratchet.json`)
    }
  }
  return { grew, shrank }
}

/**
 * Aligns rows of cells under a header: text columns left, numbers right; or a Markdown table.
 * @param {string[]} head
 * @param {(string | number)[][]} rows
 * @param {{ markdown?: boolean }} [options]
 */
export function formatTable(head, rows, { markdown = false } = {}) {
  const body = rows.map((r) => r.map(String))
  if (markdown) return [head, head.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n')
  const width = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)))
  return [head, ...body].map((r) => r.map((c, i) => (i ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ')).join('\n')
}

/**
 * Formats the rows of `measureDist` as a table.
 * @param {ReturnType<typeof measureDist>['rows']} rows
 */
export function formatSizes(rows) {
  return formatTable(['bundle', 'raw', 'gzip', 'brotli', 'budget (brotli)'],
    rows.map((r) => [r.name, r.raw, r.gzip, r.brotli, r.budget === undefined ? '' : `${r.budget} ${r.brotli <= r.budget ? 'ok' : 'OVER'}`]))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let result
  try {
    result = measureDist()
  } catch (error) {
    console.error(`[minopio-consent] cannot read ${DIST}: ${error instanceof Error ? error.message : error} (run npm run build)`)
    process.exit(1)
  }
  console.log(formatSizes(result.rows))
  const missing = result.problems.filter((p) => p.includes('missing'))
  // The DESIGN budgets are reported; the ratchet is what fails the build (README "Performance" says what is over and why).
  for (const p of result.problems) if (!missing.includes(p)) console.warn(`[minopio-consent] ${p}`)
  const ratchet = existsSync(RATCHET) ? JSON.parse(readFileSync(RATCHET, 'utf8')) : {}
  const { grew, shrank } = checkRatchet(result.rows, ratchet)
  for (const p of shrank) console.log(`[minopio-consent] ${p}`)
  for (const p of [...missing, ...grew]) console.error(`[minopio-consent] ${p}`)
  process.exit(missing.length || grew.length ? 1 : 0)
}
