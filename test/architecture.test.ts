// @vitest-environment node
// The core/UI boundary, checked on what ships: the built bundles' sourcemaps list every source file in them. A type
// import that became a runtime import (verbatimModuleSyntax prevents that at compile time) would show up here.
// Needs `npm run build` first (`npm test` does it).
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const DIST = resolve(__dirname, '../dist')
/** Repo-relative source files of one bundle, e.g. `src/config.ts`. */
const sourcesOf = (bundle: string): string[] => {
  const map = join(DIST, `${bundle}.map`)
  if (!existsSync(map)) throw new Error(`${map} is missing: run npm run build`)
  return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => s.replace(/^(\.\.\/)+/, ''))
}

describe('what each bundle is made of', () => {
  it('the head gate and its deferred chunks contain no UI file', () => {
    for (const bundle of ['minopio-consent.js', 'minopio-consent-write.js', 'minopio-consent-debug.js']) {
      const sources = sourcesOf(bundle)
      expect(sources).toContain('src/config.ts')
      expect({ bundle, ui: sources.filter((s) => s.startsWith('ui/')) }).toEqual({ bundle, ui: [] })
    }
  })

  it('the UI bundle contains no core file: it talks to the core only through the public API', () => {
    const sources = sourcesOf('minopio-consent-ui.js')
    expect(sources).toContain('ui/mount.tsx')
    // One exception by design (issue 13): the rule matcher, a stateless module, so the audit panel and the gate agree.
    expect(sources.filter((s) => s.startsWith('src/'))).toEqual(['src/rule-matcher.ts'])
  })

  it('the head gate carries neither the diagnostics nor the dev notice', () => {
    expect(sourcesOf('minopio-consent.js').filter((s) => /config-diagnostics|dev-notice|did-you-mean/.test(s))).toEqual([])
  })
})
