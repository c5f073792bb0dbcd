// CI mode: `--baseline scan.json` fails only on what a previous `--json` report did not already list, so a team can
// adopt the scanner on a site with known issues and stop new ones.
import { readFile } from 'node:fs/promises'

/** @typedef {import('./types.mjs').ScanReport} ScanReport */

/**
 * What identifies a finding across scans: the page, what it is, who, and the item (no query, no visit).
 * @param {string} page @param {{ kind: string, host: string, what: string }} v
 */
export const findingKey = (page, v) => `${page} ${v.kind} ${v.host} ${v.what}`

/**
 * Reads a baseline: the findings and problems of an earlier `minopio-scan --json` report.
 * @param {string} file
 * @returns {Promise<{ file: string, findings: Set<string>, problems: Set<string> }>}
 * @throws {Error} a usage error naming the file and what is wrong with it
 */
export async function readBaseline(file) {
  let report
  try {
    report = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new Error(`--baseline ${file}: ${/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT' ? 'no such file' : 'not JSON'}: write one with \`minopio-scan --json <url…> > ${file}\``)
  }
  if (report?.tool !== 'minopio-scan' || !Array.isArray(report.pages)) {
    throw new Error(`--baseline ${file}: not a minopio-scan --json report (no "tool": "minopio-scan" and "pages")`)
  }
  const findings = new Set()
  const problems = new Set()
  for (const p of report.pages) {
    for (const v of p.violations ?? []) findings.add(findingKey(p.url, v))
    for (const x of p.problems ?? []) problems.add(`${p.url} ${x}`)
  }
  return { file, findings, problems }
}

/**
 * Marks each finding `known` (in the baseline) or new, and makes the scan clean unless something is new: a
 * finding, a problem, or a page that could not be checked (still failing closed).
 * @param {ScanReport} report changed in place
 * @param {{ file: string, findings: Set<string>, problems: Set<string> }} baseline
 * @returns {ScanReport}
 */
export function applyBaseline(report, baseline) {
  let known = 0
  let fresh = 0
  let problems = 0
  for (const p of report.pages) {
    for (const v of p.violations) {
      v.known = baseline.findings.has(findingKey(p.url, v))
      if (v.known) known++
      else fresh++
    }
    problems += p.problems.filter((x) => !baseline.problems.has(`${p.url} ${x}`)).length
  }
  const s = report.summary
  s.baseline = { file: baseline.file, known, new: fresh }
  s.clean = s.errors === 0 && fresh === 0 && problems === 0
  s.headline = `${fresh} new finding${fresh === 1 ? '' : 's'} not in the baseline (${known} known). ${s.headline}`
  return report
}
