import { describe, expect, it } from 'vitest'
import { adoptStyles } from '../ui/styles'

const css = () => {
  const root = document.createElement('div').attachShadow({ mode: 'open' })
  adoptStyles(root)
  return { root, text: [...root.adoptedStyleSheets[0].cssRules].map((r) => r.cssText).join('\n') }
}

describe('styles', () => {
  it('adopts one shared constructable stylesheet (no <style> element, so style-src \'self\' allows it)', () => {
    const a = css()
    const b = css()
    expect(a.root.adoptedStyleSheets).toHaveLength(1)
    expect(a.root.adoptedStyleSheets[0]).toBe(b.root.adoptedStyleSheets[0])
    expect(a.root.querySelector('style')).toBeNull()
  })

  // Dark mode and reduced motion are media rules: checked on computed styles in Chromium (ui-style.e2e.test.ts).
  it('is themable through --minopio-* properties', () => {
    const { text } = css()
    for (const prop of ['--minopio-accent', '--minopio-bg', '--minopio-fg', '--minopio-font', '--minopio-focus']) expect(text).toContain(prop)
  })

  it('loads nothing: no url(), so no data: URI for a strict CSP to block', () => {
    expect(css().text).not.toMatch(/url\(/)
  })
})
