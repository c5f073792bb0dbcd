// `npm run bench` (builds first): Minopio Consent against vanilla-cookieconsent 3.1.0 and orejime 3.2.1 on the same page,
// in the same headless Chromium, runs interleaved. Prints the tables and writes bench/results/bench.json and bench.md.
// A benchmark, not a test: it reports budgets (DESIGN §10) and exits 0 unless it could not measure.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../bench/browser.mjs'
import { runConsentVariant, runPlain } from '../bench/measure.mjs'
import { CATEGORIES, SITE_CSS, tagScript, variants } from '../bench/pages.mjs'
import { formatReport, median, summarize } from '../bench/report.mjs'
import { startBenchServer } from '../bench/server.mjs'
import { DIST, GATE, sizes, sum, UI } from './size.mjs'

const RESULTS = fileURLToPath(new URL('../bench/results/', import.meta.url))
const INTERCEPT = fileURLToPath(new URL('../bench/intercept.mjs', import.meta.url))
const NODE_MODULES = fileURLToPath(new URL('../node_modules/', import.meta.url))
const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 9))
const LATENCY_MS = 30
const KBPS = 4000
const TIMEOUT = 15_000
const ORDER = ['minopio', 'vcc', 'orejime', 'plain']

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`)
const file = (/** @type {string} */ path) => readFileSync(`${NODE_MODULES}${path}`)

/** The built bundles, read once: another build during the run must not change what is served or measured. */
function snapshotDist() {
  const files = existsSync(DIST) ? Object.fromEntries(readdirSync(DIST).filter((n) => n.endsWith('.js')).map((n) => [n, readFileSync(`${DIST}${n}`)])) : {}
  if (!files[GATE]) throw new Error('[minopio-consent] dist/ is not built: run npm run bench (it builds first)')
  if (!files[UI]) log(`WARNING: dist/${UI} is missing: the first-visit figures have no banner to wait for`)
  return { gate: files[GATE], ui: files[UI] ?? null, files }
}

/** @param {ReturnType<typeof snapshotDist>} dist */
function measureSizes(dist) {
  const gate = sizes(dist.gate)
  const ui = dist.ui ? sizes(dist.ui) : { raw: 0, gzip: 0, brotli: 0 }
  return {
    gate, ui, gateUi: sum([gate, ui]),
    deferred: Object.fromEntries(Object.entries(dist.files).filter(([n]) => n !== GATE && n !== UI).map(([n, b]) => [n, sizes(b)])),
    vcc: sum([sizes(file('vanilla-cookieconsent/dist/cookieconsent.umd.js')), sizes(file('vanilla-cookieconsent/dist/cookieconsent.css'))]),
    orejime: sum([sizes(file('orejime/dist/orejime-standard-en.js')), sizes(file('orejime/dist/orejime-standard.css'))]),
  }
}

/** The gate helper's interception micro-benchmark (bench/intercept.mjs), run as it is and read from its JSON. */
function runIntercept() {
  if (!existsSync(INTERCEPT)) return log('bench/intercept.mjs does not exist yet: interception not measured'), null
  log('interception micro-benchmark: node bench/intercept.mjs …')
  const run = spawnSync(process.execPath, [INTERCEPT], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 240_000 })
  if (run.status !== 0) return log(`bench/intercept.mjs failed (exit ${run.status ?? run.signal}): interception not measured`), null
  const out = JSON.parse(readFileSync(`${RESULTS}intercept.json`, 'utf8'))
  const withMs = out.withMs ?? out.with?.median ?? out.with
  const withoutMs = out.withoutMs ?? out.without?.median ?? out.without
  return { withMs, withoutMs, ratio: out.ratio ?? withMs / withoutMs, raw: out }
}

async function main() {
  // Bounded: a benchmark that hangs is worse than one that says it could not finish.
  setTimeout(() => {
    console.error('[minopio-consent] the benchmark took over 10 minutes: stopped (is the machine very busy?)')
    process.exit(1)
  }, 600_000).unref()
  const dist = snapshotDist()
  const load = loadavg()[0]
  if (load > cpus().length) log(`WARNING: load average ${load.toFixed(1)} on ${cpus().length} CPUs: timings will be noisy; rerun on a quiet machine`)
  const tracker = await startBenchServer({
    latencyMs: LATENCY_MS, files: Object.fromEntries(CATEGORIES.map((c) => [`/tags/${c}.js`, tagScript(c)])),
  })
  const all = variants(tracker.origin)
  const files = { '/site.css': SITE_CSS, ...Object.fromEntries(Object.entries(dist.files).map(([n, b]) => [`/dist/${n}`, b])) }
  for (const [id, v] of Object.entries(all)) Object.assign(files, v.files, { [`/${id}.html`]: v.html })
  const site = await startBenchServer({ latencyMs: LATENCY_MS, files })
  const browser = await launchChromium()
  const chromium = browser.version()
  /** @type {Record<string, (import('../bench/report.mjs').Run & Record<string, number>)[]>} */
  const runs = Object.fromEntries(ORDER.map((id) => [id, []]))
  let uiOnReturn = 0
  const attempt = async (/** @type {string} */ id) => {
    const v = all[/** @type {keyof typeof all} */ (id)]
    const url = `${site.origin}/${id}.html`
    const common = { url, tags: CATEGORIES.length, kbps: KBPS, timeout: TIMEOUT }
    if (id === 'plain') return runPlain(browser, common)
    const seen = site.requests.length
    const result = await runConsentVariant(browser, { ...common, accept: /** @type {string} */ (v.accept), cookie: /** @type {string} */ (v.cookie) })
    // A returning visitor who already decided must download the gate alone (README, "Performance"): no UI, no deferred file.
    if (id === 'minopio') uiOnReturn += site.requests.slice(seen).filter((r) => r.at >= result.returnStart && r.path.startsWith('/dist/') && !r.path.endsWith(GATE)).length
    const { returnStart, ...kept } = result
    return id === 'minopio' ? kept : { banner: result.banner, script: result.script, returning: result.returning }
  }
  // A busy machine can stall one navigation; retry that run rather than lose the whole benchmark, and say so.
  const once = async (/** @type {string} */ id) => {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(id)
      } catch (error) {
        if (tries === 3) throw error
        log(`${id}: run failed (${String(error instanceof Error ? error.message : error).split('\n')[0]}), retrying`)
      }
    }
  }
  try {
    log(`warm-up: one unmeasured run of each variant`)
    for (const id of ORDER) await once(id)
    for (let i = 0; i < RUNS; i++) {
      // Rotate the order every round so no variant always runs first (or right after another).
      const order = ORDER.map((_, k) => ORDER[(k + i) % ORDER.length])
      for (const id of order) runs[id].push(await once(id))
      log(`run ${i + 1}/${RUNS}: ${order.map((id) => `${id} ${runs[id].at(-1)?.banner ? `banner ${Math.round(runs[id].at(-1)?.banner ?? NaN)} ms, ` : ''}tags ${Math.round(runs[id].at(-1)?.returning ?? NaN)} ms`).join(' · ')}`)
    }
  } finally {
    await browser.close()
    await site.close()
    await tracker.close()
  }

  const summary = summarize({ sizes: measureSizes(dist), runs, intercept: runIntercept() })
  const conditions = `headless Chromium ${chromium}, Node ${process.versions.node}, ${cpus().length} CPUs (load ${load.toFixed(1)} at start); ${RUNS} interleaved runs per variant ` +
    `(after one warm-up), medians; every response delayed ${LATENCY_MS} ms by the servers, download capped at ${KBPS / 1000} Mbit/s (CDP), ` +
    `brotli on the wire; page + SDK on one origin, the 3 gated tags on another`
  const text = formatReport(summary)
  console.log(`\nMinopio Consent benchmark — ${conditions}\n\n${text}\n`)
  const at = (/** @type {string} */ key) => Math.round(median(runs.minopio.map((r) => r[key] ?? NaN)))
  const where = `Where Minopio's returning visit goes (medians, ms from navigation start): gate file received ${at('gateLoaded')}, ` +
    `device key read ${at('keyRead')}, cookie decrypted ${at('decrypted')}, stored consent applied (ready) ${at('ready')}, ` +
    `first gated tag released ${at('released')}, last gated tag ran ${at('returning')}; plain tags ran ${Math.round(summary.returning.plain)}. ` +
    `The gate's own share (gate received → ready): ${Math.round(median(runs.minopio.map((r) => r.ready - r.gateLoaded)))} ms.`
  console.log(where)
  if (uiOnReturn) console.log(`WARNING: a file other than the gate was downloaded ${uiOnReturn}× on returning visits (it must not be)`)

  mkdirSync(RESULTS, { recursive: true })
  writeFileSync(`${RESULTS}bench.json`, `${JSON.stringify({ date: new Date().toISOString(), conditions, runs, summary, uiOnReturn }, null, 2)}\n`)
  writeFileSync(`${RESULTS}bench.md`, `\`npm run bench\` — ${conditions}\n\n${formatReport(summary, { markdown: true })}\n\n${where}\n`)
  log(`wrote bench/results/bench.json and bench/results/bench.md`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
