// The command line: arguments in, a scan, reports out, an exit code a CI can gate on.
import { writeFile } from 'node:fs/promises'
import { parseArgs as parseNodeArgs } from 'node:util'
import { applyBaseline, readBaseline } from './baseline.mjs'
import { launchSystemChromium } from './chromium.mjs'
import { reportHtml } from './report-html.mjs'
import { reportText } from './report-text.mjs'
import { buildReport, scanAll } from './scan.mjs'

/** Exit codes: 0 clean, 1 violation (or a page that could not be checked: fail closed), 2 usage error. */
export const EXIT = /** @type {const} */ ({ clean: 0, violation: 1, usage: 2 })

export const USAGE = `Usage: minopio-scan [options] <url…>

Opens each page in the system Chromium three times (no decision, "Reject all", "Accept all" clicked in the
Minopio Consent banner) and reports third-party requests and cookies before consent (violations) and gated
tags that never ran after accept (under-firing).

Options:
  --json               print the report as JSON (documented in scanner/types.mjs) instead of text
  --html <file>        also write a self-contained HTML report
  --baseline <file>    an earlier --json report: only findings not in it fail the scan (CI on a site with known issues)
  --allow <host>       a necessary host: its requests and cookies are never violations (repeatable)
  --allow-cookie <n>   a necessary cookie name (repeatable)
  --timeout <ms>       navigation, SDK and banner timeout (default 15000)
  --wait <ms>          wait after each load and click so tags settle (default 1500)
  --crawl <n>          also scan up to n same-origin pages linked from each URL (default 0)
  -h, --help           this help

Exit code: 0 clean, 1 violations found or a page could not be checked, 2 usage error.
With --baseline, only violations and problems not in the baseline count.
Chromium: CHROMIUM_PATH, else /usr/bin/chromium, chromium-browser or google-chrome.`

/** @param {string} name @param {string | undefined} raw @param {number} fallback */
function count(name, raw, fallback) {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} takes a whole number${name === 'crawl' ? '' : ' of milliseconds'}, got "${raw}"`)
  return Number(raw)
}

/**
 * Parses the command line.
 * @param {string[]} argv arguments after the program name
 * @returns {{ help: true } | { help: false, urls: string[], json: boolean, html: string | null, baseline: string | null, options: import('./types.mjs').ScanOptions }}
 * @throws {Error} a usage error, with a message for the user
 * @example parseArgs(['--allow', 'cdn.example', 'https://example.com/'])
 */
export function parseArgs(argv) {
  const { values: v, positionals } = parseNodeArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' }, html: { type: 'string' }, baseline: { type: 'string' }, allow: { type: 'string', multiple: true },
      'allow-cookie': { type: 'string', multiple: true }, timeout: { type: 'string' }, wait: { type: 'string' },
      crawl: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  })
  if (v.help) return { help: true }
  if (!positionals.length) throw new Error('no URL to scan')
  if (v.html === '') throw new Error('--html needs a file name')
  if (v.baseline === '') throw new Error('--baseline needs the file of an earlier --json report')
  const timeout = count('timeout', v.timeout, 15000)
  if (timeout < 1) throw new Error('--timeout must be at least 1 ms')
  return {
    help: false,
    urls: positionals,
    json: !!v.json,
    html: v.html ?? null,
    baseline: v.baseline ?? null,
    options: {
      allow: (v.allow ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean),
      allowCookies: v['allow-cookie'] ?? [],
      timeout,
      wait: count('wait', v.wait, 1500),
      crawl: count('crawl', v.crawl, 0),
    },
  }
}

/** @param {import('./types.mjs').PageReport} p */
const progressLine = (p) =>
  p.error ? `not scanned: ${p.error}` : `${p.violations.length} violation(s), ${p.underFiring.length} under-firing${p.problems.length ? `, ${p.problems.length} problem(s)` : ''}${p.sdk ? '' : ', no SDK'}`

/**
 * Runs the CLI.
 * @param {string[]} argv arguments after the program name
 * @param {{ stdout: { write(s: string): unknown }, stderr: { write(s: string): unknown } }} io
 * @returns {Promise<number>} the exit code
 */
export async function main(argv, io) {
  let args
  try {
    args = parseArgs(argv)
  } catch (error) {
    io.stderr.write(`minopio-scan: ${/** @type {Error} */ (error).message}\nRun \`minopio-scan --help\` for the options.\n`)
    return EXIT.usage
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`)
    return EXIT.clean
  }
  let baseline = null
  try {
    baseline = args.baseline ? await readBaseline(args.baseline) : null
  } catch (error) {
    io.stderr.write(`minopio-scan: ${/** @type {Error} */ (error).message}\n`)
    return EXIT.usage
  }
  let browser
  try {
    browser = await launchSystemChromium()
  } catch (error) {
    io.stderr.write(`${/** @type {Error} */ (error).message}\n`)
    return EXIT.usage
  }
  let pages
  try {
    pages = await scanAll(browser, args.urls, args.options, (p, i, known) => io.stderr.write(`[${i}/${known}] ${p.url}: ${progressLine(p)}\n`))
  } finally {
    await browser.close()
  }
  const report = buildReport(pages, args.options)
  if (baseline) applyBaseline(report, baseline)
  if (args.html) {
    await writeFile(args.html, reportHtml(report))
    io.stderr.write(`HTML report: ${args.html}\n`)
  }
  io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report))
  return report.summary.clean ? EXIT.clean : EXIT.violation
}
