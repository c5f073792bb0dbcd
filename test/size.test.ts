// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs script
import { BUDGETS, formatSizes, measureDist } from '../scripts/size.mjs'

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
