// The minopio-scan bin, spawned as a child process against real pages in the system Chromium.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, sitePage, startServer } from './harness'
import type { TestServer } from './harness'

const BIN = join(ROOT, 'scanner/bin/minopio-scan.mjs')
const DEMO = join(ROOT, 'demo/server.mjs')
const SCAN_TIMEOUT = 120_000
// Short settle time and timeouts keep the suite quick; the scanner's defaults are for real sites.
const FAST = ['--wait', '300', '--timeout', '10000']

interface Scan { code: number | null; stdout: string; stderr: string }
/** Runs the bin; asynchronously, so the servers of this process keep answering. */
const scan = (args: string[]) => new Promise<Scan>((done) => {
  execFile(process.execPath, [BIN, ...args], { maxBuffer: 32 << 20, timeout: SCAN_TIMEOUT }, (error, stdout, stderr) => {
    done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
  })
})
const json = (s: Scan) => JSON.parse(s.stdout)

let site: TestServer
let tracker: TestServer
let trackerHost: string
let tmp: string

beforeAll(async () => {
  site = await startServer()
  tracker = await startServer()
  trackerHost = new URL(tracker.origin).host
  tmp = mkdtempSync(join(tmpdir(), 'minopio-scan-'))
  const config = `{ policyVersion: '2024-05' }`
  const gated = `<script type="text/plain" data-consent="marketing" src="${tracker.url('/gated.js')}"></script>`
  tracker.route('/gated.js', { body: 'window.gatedRan = true; document.cookie = "_mk=1; path=/"' })
  tracker.route('/leak.js', { body: 'window.leakRan = true', headers: { 'Set-Cookie': 'trk=1; Path=/' } })
  site.route('/leaky', sitePage(config, `<h1>Shop</h1>${gated}<script src="${tracker.url('/leak.js')}"></script>`))
  site.route('/clean', sitePage(config, `<h1>Shop</h1>${gated}<a href="/clean/two">next</a> <a href="${tracker.url('/elsewhere')}">elsewhere</a>`))
  site.route('/clean/two', sitePage(config, '<p>The second page</p>'))
  // A necessary tag the gate releases at once, which then calls a tracker: the request goes through the gate's
  // wrapped fetch (its frame tops the stack), yet the scanner must credit loader.js, not minopio-consent.js.
  tracker.route('/loader.js', `fetch(${JSON.stringify(tracker.url('/collect'))}, { mode: 'no-cors' })`)
  site.route('/released', sitePage(`{ policyVersion: '2024-05', rules: [{ match: /never-matches/g, category: 'analytics' }] }`,
    `<h1>Shop</h1><script type="text/plain" data-consent="necessary" src="${tracker.url('/loader.js')}"></script>`))
  site.route('/plain', '<!doctype html><html lang="en"><title>No SDK</title><p>A page without the consent SDK</p></html>')
})
afterAll(async () => {
  await site?.close()
  await tracker?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('minopio-scan on a page with an ungated tracker', () => {
  it('finds the tracker before consent, names it in JSON and HTML, and exits 1', async () => {
    const html = join(tmp, 'leaky.html')
    const result = await scan([...FAST, '--json', '--html', html, site.url('/leaky')])
    expect(result.code).toBe(1)
    const report = json(result)
    expect(report.summary).toMatchObject({ pages: 1, errors: 0, clean: false })
    const [page] = report.pages
    expect(page.error).toBeNull()
    const leak = page.violations.find((v: { kind: string; what: string }) => v.kind === 'request' && v.what === '/leak.js')
    expect(leak).toMatchObject({ host: trackerHost, type: 'script', visits: ['none', 'reject', 'accept'] })
    expect(leak.initiator).toMatchObject({ type: 'parser', url: site.url('/leaky') })
    expect(page.violations).toContainEqual(expect.objectContaining({ kind: 'cookie', what: 'trk', setBy: trackerHost, type: 'third-party' }))
    // The gated tag is no violation: it waits for consent.
    expect(page.violations.some((v: { what: string }) => v.what.includes('gated'))).toBe(false)
    expect(tracker.hits('/leak.js').length).toBeGreaterThanOrEqual(3)
    const page_ = readFileSync(html, 'utf8')
    expect(page_).toContain(trackerHost)
    expect(page_).toContain('/leak.js')
    expect(page_).toContain('Needs attention')
    expect(result.stderr).toContain(`[1/1] ${site.url('/leaky')}: `)
  }, SCAN_TIMEOUT)

  it('names the tracker in the text report', async () => {
    const result = await scan([...FAST, site.url('/leaky')])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('NOT CLEAN')
    expect(result.stdout).toMatch(new RegExp(`request +${trackerHost.replace(/\./g, '\\.')} +/leak\\.js +script +no decision, reject all`))
  }, SCAN_TIMEOUT)

  it('treats an --allow host as necessary: its requests and cookies are no violations', async () => {
    const report = json(await scan([...FAST, '--json', '--allow', trackerHost, site.url('/leaky')]))
    expect(report.options.allow).toEqual([trackerHost])
    expect(report.pages[0].violations).toEqual([])
  }, SCAN_TIMEOUT)
})

describe('minopio-scan attribution and fixes', () => {
  it('credits a tracker request to the released tag that made it, never the gate, and suggests a rule for the ungated tracker', async () => {
    const html = join(tmp, 'released.html')
    const result = await scan([...FAST, '--json', '--html', html, site.url('/released')])
    expect(result.code).toBe(1)
    const [page] = json(result).pages
    expect(page.sdk.rules).toEqual([{ match: '/never-matches/g', category: 'analytics' }])
    const collect = page.violations.find((v: { what: string }) => v.what === '/collect')
    expect(collect).toMatchObject({ kind: 'request', host: trackerHost, type: 'fetch', rule: null, initiator: { type: 'script', url: tracker.url('/loader.js') } })
    expect(collect.fix.code).toBe(`{ match: '${trackerHost}', category: 'marketing' }`)
    expect(JSON.stringify(page.violations)).not.toContain('minopio-consent.js')
    expect(json(result).summary.headline).toContain(`1 third party is contacted before consent: ${trackerHost}.`)
    const report = readFileSync(html, 'utf8')
    expect(report).toContain(`<pre><code>{ match: &#39;${trackerHost}&#39;, category: &#39;marketing&#39; }</code></pre>`)
    expect(report).toContain('/loader.js (script)')
  }, SCAN_TIMEOUT)

  it('with --baseline of its own report passes (exit 0), and fails again on a finding the baseline lacks', async () => {
    const baseline = join(tmp, 'baseline.json')
    const first = await scan([...FAST, '--json', site.url('/released')])
    writeFileSync(baseline, first.stdout)
    const again = await scan([...FAST, '--json', '--baseline', baseline, site.url('/released')])
    expect(json(again).summary).toMatchObject({ clean: true, baseline: { new: 0 } })
    expect(again.code).toBe(0)
    const leaky = await scan([...FAST, '--json', '--baseline', baseline, site.url('/leaky')])
    expect(json(leaky).summary.baseline.new).toBeGreaterThan(0)
    expect(leaky.code).toBe(1)
  }, SCAN_TIMEOUT)
})

describe('minopio-scan on a page whose tracker is gated (needs the gate and the UI)', () => {
  it('clicks the real banner buttons, finds no violation, sees the tag run only after accept, and exits 0', async () => {
    const before = tracker.hits('/gated.js').length
    const result = await scan([...FAST, '--json', site.url('/clean')])
    const report = json(result)
    const [page] = report.pages
    expect(page.problems).toEqual([])
    expect(page.violations).toEqual([])
    expect(page.underFiring).toEqual([])
    expect(page.visits.reject.decidedBy).toBe('banner')
    expect(page.visits.accept.decidedBy).toBe('banner')
    expect(page.visits.accept.reloaded).toBe(true)
    expect(page.tags).toEqual([expect.objectContaining({
      kind: 'script', url: tracker.url('/gated.js'), category: 'marketing', via: 'markup',
      states: { none: 'blocked', reject: 'blocked', accept: expect.stringMatching(/^(released|loaded)$/) },
    })])
    expect(page.afterAccept).toEqual([{ host: trackerHost, paths: ['/gated.js'] }])
    expect(tracker.hits('/gated.js').length).toBeGreaterThan(before)
    expect(result.code).toBe(0)
  }, SCAN_TIMEOUT)
})

describe('minopio-scan on bad input', () => {
  it('gives each bad URL its own message and still scans the rest', async () => {
    const closed = await startServer()
    await closed.close()
    const result = await scan([...FAST, '--json', 'ftp://files.example/', closed.url('/'), site.url('/plain')])
    expect(result.code).toBe(1)
    const [ftp, down, plain] = json(result).pages
    expect(ftp.error).toBe('not an http(s) URL (ftp): only web pages can be scanned')
    expect(down.error).toMatch(/^could not load the page: net::ERR_CONNECTION_REFUSED/)
    expect(plain.error).toBeNull()
    expect(plain.notes).toEqual([expect.stringContaining('no Minopio Consent SDK on this page')])
    expect(plain.visits.none.status).toBe(200)
    expect(plain.violations).toEqual([])
    expect(result.stderr.split('\n').filter((l) => /^\[\d\/3\] /.test(l))).toHaveLength(3)
  }, SCAN_TIMEOUT)
})

describe('minopio-scan --crawl', () => {
  it('follows same-origin links up to the limit and never another origin', async () => {
    const result = await scan([...FAST, '--json', '--crawl', '5', site.url('/clean')])
    expect(json(result).pages.map((p: { url: string }) => p.url)).toEqual([site.url('/clean'), site.url('/clean/two')])
    expect(tracker.hits('/elsewhere')).toEqual([])
    expect(result.stderr).toContain(`[2/2] ${site.url('/clean/two')}: `)
    const one = json(await scan([...FAST, '--json', '--crawl', '0', site.url('/clean')]))
    expect(one.pages).toHaveLength(1)
  }, SCAN_TIMEOUT)
})

// The demo exports startDemo once demo/server.mjs is in place; until then this test does not run.
const demo = existsSync(DEMO) ? await import(DEMO) : null
describe('minopio-scan on the demo site (needs the demo, the gate and the UI)', () => {
  it.runIf(typeof demo?.startDemo === 'function')('finds it clean, with every gated tag run after accept', async () => {
    const running = await demo.startDemo({ port: 0, trackerPort: 0, dataFile: join(tmp, 'consent.sqlite') })
    try {
      const html = join(tmp, 'demo.html')
      const result = await scan([...FAST, '--json', '--html', html, running.url])
      const [page] = json(result).pages
      expect(page.problems).toEqual([])
      expect(page.violations).toEqual([])
      expect(page.underFiring).toEqual([])
      expect(page.tags.length).toBeGreaterThan(0)
      for (const tag of page.tags) {
        // A tag another tag creates (a pixel the ad script adds) only exists once that one ran: null = not seen.
        expect([null, 'blocked']).toContain(tag.states.none)
        expect([null, 'blocked']).toContain(tag.states.reject)
        expect(tag.states.accept).toMatch(/^(released|loaded)$/)
      }
      expect(readFileSync(html, 'utf8')).toContain('All clear')
      expect(result.code).toBe(0)
    } finally {
      await running.close()
    }
  }, SCAN_TIMEOUT)
})
