// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { applyBaseline, readBaseline } from '../scanner/baseline.mjs'
import { buildReport } from '../scanner/scan.mjs'

const OPTIONS = { allow: [], allowCookies: [], timeout: 1000, wait: 0, crawl: 0 }
const v = (host: string, what: string) => ({ kind: 'request', host, what, type: 'script', initiator: null, setBy: null, visits: ['none'], heldByGate: false, rule: null, fix: null })
const page = (violations: unknown[], problems: string[] = [], error: string | null = null) => ({
  url: 'http://site.example/', error, problems, notes: [], sdk: null, visits: { none: null, reject: null, accept: null },
  tags: [], violations, underFiring: [], afterAccept: [], links: [],
})
const dir = mkdtempSync(join(tmpdir(), 'minopio-baseline-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const baselineOf = async (pages: unknown[]) => {
  const file = join(dir, `b${Math.random()}.json`)
  writeFileSync(file, JSON.stringify(buildReport(pages as never, OPTIONS)))
  return readBaseline(file)
}

describe('--baseline', () => {
  it('passes a scan whose findings and problems were all in the baseline, and marks them known', async () => {
    const baseline = await baselineOf([page([v('ads.example', '/p.gif')], ['no banner button'])])
    const report = applyBaseline(buildReport([page([v('ads.example', '/p.gif')], ['no banner button'])] as never, OPTIONS), baseline)
    expect(report.summary).toMatchObject({ clean: true, violations: 1, baseline: { known: 1, new: 0 } })
    expect(report.pages[0].violations[0].known).toBe(true)
    expect(report.summary.headline).toMatch(/^0 new findings not in the baseline \(1 known\)\. 1 third party is contacted before consent: ads\.example\./)
  })

  it('fails on a finding or a problem the baseline did not have, and still on a page that could not be checked', async () => {
    const baseline = await baselineOf([page([v('ads.example', '/p.gif')])])
    const fresh = applyBaseline(buildReport([page([v('ads.example', '/p.gif'), v('px.example', '/x')])] as never, OPTIONS), baseline)
    expect(fresh.summary).toMatchObject({ clean: false, baseline: { known: 1, new: 1 } })
    expect(fresh.pages[0].violations.map((x) => x.known)).toEqual([true, false])
    expect(applyBaseline(buildReport([page([], ['no banner button'])] as never, OPTIONS), baseline).summary.clean).toBe(false)
    expect(applyBaseline(buildReport([page([], [], 'could not load the page')] as never, OPTIONS), baseline).summary.clean).toBe(false)
  })
})
