// Interception micro-benchmark (DESIGN §10): time for a page script to create and insert 1,000 scripts + 1,000 imgs,
// with the gate (src setters, setAttribute, MutationObserver active, a realistic list of rules) and without any SDK.
// Each sample is a fresh page, variants interleaved; the clock stops after the microtask checkpoint, so the
// gate's MutationObserver work is counted. Two clocks: wall time in the page, and the CPU time of the page's main
// thread (DevTools `ThreadTime`), which other processes on a busy machine barely move. The ratio and the budget use
// CPU time; wall time is reported beside it. Prints medians; writes bench/results/intercept.json.
// A benchmark, not a test: `npm run bench:intercept` (builds first). Exits 0 unless it could not measure.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { networkQuiet, trackContext } from '../scripts/network-quiet.mjs'
import { launchChromium } from './browser.mjs'

const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 15))
const N = 1000
const BUDGET = 1.2
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))
const GATE = readFileSync(fileURLToPath(new URL('../dist/minopio-consent.js', import.meta.url)))

// Ten rules, like a site with a handful of vendors; none matches the first-party URLs of the main scenario.
const RULES = ['ads.example', 'pixel.example/p', 'tags.example', 'cdn.tracker.example', 'stats.example', 'x.example/collect',
  'video.example', 'social.example', 'maps.example/embed'].map((m) => `{ match: '${m}', category: 'marketing' }`).concat('{ match: /beacon\\.example/, category: \'analytics\' }')
const CONFIG = `<script>window.minopioConsentConfig = { rules: [${RULES.join(', ')}] }</script><script src="/gate.js"></script>`

// `base` decides what is inserted: first-party URLs (unrelated to any rule: the budget) or URLs a rule holds.
const page = (/** @type {boolean} */ withGate) => `<!doctype html><html><head><meta charset="utf-8">${withGate ? CONFIG : ''}</head><body>
<script>
  window.insert = async (base) => {
    const box = document.createElement('div')
    document.body.append(box)
    const t0 = performance.now()
    for (let i = 0; i < ${N}; i++) {
      const s = document.createElement('script')
      s.src = base + '/s/' + i + '.js'
      box.appendChild(s)
      const img = new Image()
      img.src = base + '/i/' + i + '.gif'
      box.appendChild(img)
    }
    await null
    return performance.now() - t0
  }
</script></body></html>`

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main() {
  /** @type {Record<string, string | Buffer>} */
  const files = { '/with.html': page(true), '/without.html': page(false), '/gate.js': GATE }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const body = files[path]
    // Inserted files answer 204 at once: the network must not be what is measured.
    if (!body) return res.writeHead(204).end()
    res.writeHead(200, { 'Content-Type': path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(body)
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)))
  const origin = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`
  const browser = await launchChromium()
  const context = await browser.newContext()
  trackContext(context)
  const scenarios = { unrelated: origin, held: 'https://tags.example' }
  /** @type {Record<string, Record<string, number[]>>} */
  const samples = Object.fromEntries(Object.keys(scenarios).map((k) => [k, { with: [], without: [], withWall: [], withoutWall: [] }]))
  const cpu = async (/** @type {import('playwright-core').CDPSession} */ cdp) => ((await cdp.send('Performance.getMetrics')).metrics.find((/** @type {{ name: string, value: number }} */ m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const [name, base] of Object.entries(scenarios)) {
        // Alternate which variant goes first so drift in the machine does not favour one.
        for (const variant of run % 2 ? ['with', 'without'] : ['without', 'with']) {
          const tab = await context.newPage()
          await tab.goto(`${origin}/${variant}.html`)
          // Start-up done (stored consent read, banner UI fetched and shown): only the inserts are measured.
          await networkQuiet(tab)
          const cdp = await context.newCDPSession(tab)
          await cdp.send('Performance.enable')
          const before = await cpu(cdp)
          samples[name][`${variant}Wall`].push(await tab.evaluate((b) => /** @type {any} */ (window).insert(b), base))
          samples[name][variant].push((await cpu(cdp)) - before)
          await tab.close()
        }
      }
    }
  } finally {
    await browser.close()
    server.close()
  }
  const summary = Object.fromEntries(Object.entries(samples).map(([name, s]) => {
    const withMs = median(s.with)
    const withoutMs = median(s.without)
    const wall = { withMs: median(s.withWall), withoutMs: median(s.withoutWall) }
    return [name, { withMs, withoutMs, ratio: withMs / withoutMs, wall: { ...wall, ratio: wall.withMs / wall.withoutMs }, samples: s }]
  }))
  const main = summary.unrelated
  const out = {
    what: `${N} scripts + ${N} imgs created and inserted by a page script, first-party URLs, ${RULES.length} rules configured`,
    clock: 'main-thread CPU time (DevTools ThreadTime); wall time under scenarios.*.wall',
    runs: RUNS, chromium: browser.version(), budget: BUDGET, loadAverage: loadavg()[0],
    withMs: main.withMs, withoutMs: main.withoutMs, ratio: main.ratio, pass: main.ratio <= BUDGET,
    scenarios: summary,
  }
  mkdirSync(RESULTS, { recursive: true })
  writeFileSync(`${RESULTS}intercept.json`, JSON.stringify(out, null, 2))
  const f = (/** @type {number} */ ms) => `${ms.toFixed(1)} ms`
  console.log(`interception, ${N} scripts + ${N} imgs inserted, median of ${RUNS} fresh pages (Chromium ${out.chromium}, load average ${out.loadAverage.toFixed(1)})`)
  for (const [name, s] of Object.entries(summary)) {
    console.log(`  ${name.padEnd(9)} CPU  without SDK ${f(s.withoutMs).padStart(9)}   with gate ${f(s.withMs).padStart(9)}   ratio ${s.ratio.toFixed(2)}×`)
    console.log(`  ${''.padEnd(9)} wall without SDK ${f(s.wall.withoutMs).padStart(9)}   with gate ${f(s.wall.withMs).padStart(9)}   ratio ${s.wall.ratio.toFixed(2)}×`)
  }
  console.log(`  budget ≤ ${BUDGET}× (CPU) on unrelated URLs: ${out.pass ? 'ok' : 'OVER'}  → bench/results/intercept.json`)
}

main().catch((error) => {
  console.error(`[minopio-consent] interception benchmark could not run: ${error.stack ?? error}`)
  process.exit(1)
})
