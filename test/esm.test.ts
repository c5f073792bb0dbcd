// @vitest-environment node
// Server-side rendering: the ESM entry points are imported where there is no `window`/`document` (Next, Nuxt, Astro).
import { describe, expect, it } from 'vitest'

describe('the ESM entry points outside a browser', () => {
  it('import without touching browser globals', async () => {
    const core = await import('../src/index')
    const ui = await import('../ui/index')
    expect(typeof core.createConsent).toBe('function')
    expect(typeof ui.mountConsentUI).toBe('function')
    expect(['window', 'document', 'location'].filter((g) => g in globalThis)).toEqual([])
  })

  it('createConsent() throws an error that says to call it on the client, never a ReferenceError', async () => {
    const { createConsent } = await import('../src/index')
    expect(() => createConsent({ policyVersion: '2024-05' })).toThrowError(
      /^\[minopio-consent\] createConsent\(\) needs a browser .* call it on the client/,
    )
  })
})
