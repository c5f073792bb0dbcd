// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { BUDGETS, checkRatchet, formatSizes, measureDist } from '../scripts/size.mjs'

// Random bytes do not compress: their brotli size is about their raw size, so budgets can be hit on purpose.
const dirs: string[] = []
const distWith = (files: Record<string, number>) => {
  const dir = mkdtempSync(join(tmpdir(), 'size-'))
  dirs.push(dir)
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), randomBytes(bytes))
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('npm run size', () => {
  it('passes bundles under their budgets and reports raw, gzip and brotli of each plus gate + UI', () => {
    const { rows, problems } = measureDist(distWith({ 'minopio-consent.js': 3000, 'minopio-consent-ui.js': 6000 }))
    expect(problems).toEqual([])
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['minopio-consent-ui.js', 'minopio-consent.js', 'gate + UI'])
    const [ui, gate, both] = rows
    expect(gate.raw).toBe(3000)
    expect(both.brotli).toBe(gate.brotli + ui.brotli)
    expect(both.budget).toBe(BUDGETS.gateUi)
    expect(formatSizes(rows)).toMatch(/gate \+ UI .* 12288 ok/)
  })

  it('fails when the gate alone is over 4 KB brotli', () => {
    const { problems } = measureDist(distWith({ 'minopio-consent.js': 5000, 'minopio-consent-ui.js': 100 }))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^minopio-consent\.js is \d+ B brotli, over its budget of 4096 B/)
  })

  it('fails when gate + UI together are over 12 KB brotli though each fits', () => {
    const { problems } = measureDist(distWith({ 'minopio-consent.js': 4000, 'minopio-consent-ui.js': 9000 }))
    expect(problems).toEqual([expect.stringMatching(/^gate \+ UI is \d+ B brotli, over its budget of 12288 B/)])
  })

  it('fails when a bundle is missing instead of passing an incomplete build', () => {
    const { problems } = measureDist(distWith({ 'minopio-consent.js': 100 }))
    expect(problems).toEqual([expect.stringContaining('minopio-consent-ui.js is missing')])
  })
})

describe('size ratchet', () => {
  const rows = [{ name: 'minopio-consent.js', brotli: 5000 }, { name: 'minopio-consent-ui.js', brotli: 9000 }, { name: 'gate + UI', brotli: 14000 }]

  it('fails a bundle that grew past its entry, naming the file, the entry and the growth', () => {
    const { grew } = checkRatchet(rows, { 'minopio-consent.js': 4990, 'minopio-consent-ui.js': 9000, 'gate + UI': 14000 })
    expect(grew).toEqual([expect.stringMatching(/^minopio-consent\.js is 5000 B brotli, past its ratchet entry of 4990 B by 10 B/)])
  })

  it('asks for the entry to be lowered when a bundle shrank, and fails a new bundle with no entry', () => {
    const { grew, shrank } = checkRatchet(rows, { 'minopio-consent.js': 5100, 'gate + UI': 14000 })
    expect(shrank).toEqual([expect.stringMatching(/^minopio-consent\.js shrank to 5000 B brotli \(entry 5100 B\)/)])
    expect(grew).toEqual([expect.stringMatching(/^minopio-consent-ui\.js has no entry/)])
  })

  it('holds an entry for every bundle the build makes', () => {
    return import('../scripts/size.mjs').then(({ RATCHET }) => {
      const ratchet = JSON.parse(readFileSync(RATCHET, 'utf8'))
      for (const name of ['minopio-consent.js', 'minopio-consent-ui.js', 'minopio-consent-write.js', 'minopio-consent-debug.js', 'gate + UI',
        ...['fr', 'nl', 'de', 'es', 'it'].map((l) => `minopio-consent-ui-${l}.js`)]) {
        expect(ratchet[name], name).toBeGreaterThan(0)
      }
    })
  })
})
