import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent } from '../src/index'
import type { ConsentApi } from '../src/index'
import { readConfig } from '../src/config'
import { createContext } from '../src/context'
import { startRevoke } from '../src/gate/revoke'
import type { ConsentAction, ConsentConfig, ConsentState } from '../src/types'

const T = 'https://tracker.example'
let reload: ReturnType<typeof vi.fn<() => void>>

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  // Navigation is the process boundary: the page would be gone, so only the call is observed.
  reload = vi.fn()
  vi.spyOn(window.location, 'reload').mockImplementation(reload)
})
afterEach(() => {
  for (const consent of running.splice(0)) consent.destroy()
  for (const name of ['minopio_consent', '_fbp', '_gcl_au', '_ga']) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  document.body.replaceChildren()
})

const cookieNames = () => document.cookie.split('; ').map((c) => c.split('=')[0]).filter(Boolean).sort()
const running: ConsentApi[] = []
const start = async (config: ConsentConfig, html = '') => {
  document.body.append(...new DOMParser().parseFromString(html, 'text/html').body.childNodes)
  const consent = createConsent(config)
  running.push(consent)
  await consent.ready
  return consent
}
const withChange = (state: ConsentState, action: ConsentAction): ConsentState =>
  ({ ...state, change: { action, eventId: crypto.randomUUID(), textsHash: null, shownLang: null } })
// What a reload would wait for has happened: the action's cookie write, then one more turn of the event loop.
const afterward = () => new Promise((done) => setTimeout(done))

describe('revoking a category', () => {
  it('deletes its clearOnRevoke cookies (names and RegExps) and keeps those of other categories', async () => {
    const consent = await start({ clearOnRevoke: { marketing: ['_fbp', /^_gcl_/], analytics: ['_ga'] }, reloadOnRevoke: false })
    await consent.acceptAll()
    for (const c of ['_fbp=fb.1', '_gcl_au=1.1', '_ga=GA1']) document.cookie = `${c}; path=/`
    await consent.set({ marketing: false })
    expect(cookieNames()).toEqual(['_ga', 'minopio_consent'])
  })

  it('does not reload with "auto" when nothing of the revoked category ran', async () => {
    const consent = await start({}, `<iframe data-consent="partners" data-src="${T}/video"></iframe>`)
    await consent.set({ marketing: true })
    await consent.set({ marketing: false })
    await afterward()
    expect(reload).not.toHaveBeenCalled()
  })

  it('reloads with "auto" once the new consent is stored when a tag of the revoked category ran', async () => {
    const consent = await start({}, '<script type="text/plain" data-consent="partners">window.partner = 1</script>')
    await consent.acceptAll()
    let storedAtReload = ''
    reload.mockImplementation(() => (storedAtReload = document.cookie))
    const before = document.cookie
    await consent.withdraw()
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1))
    expect(storedAtReload).toContain('minopio_consent=')
    expect(storedAtReload).not.toBe(before)
  })

  it('reloads on any revoke with true, never with false', async () => {
    const always = await start({ reloadOnRevoke: true })
    await always.set({ analytics: true })
    await always.set({ analytics: false })
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1))

    const never = await start({ reloadOnRevoke: false }, `<iframe data-consent="partners" data-src="${T}/video"></iframe>`)
    await never.acceptAll()
    await never.withdraw()
    await afterward()
    expect(reload).toHaveBeenCalledTimes(1)
  })

  it('does nothing when consent is read back from the cookie, or when a category is only granted', async () => {
    const consent = await start({ clearOnRevoke: { marketing: ['_fbp'] }, reloadOnRevoke: true })
    await consent.set({ marketing: true })
    document.cookie = '_fbp=fb.1; path=/'
    await consent.set({ analytics: true })
    await start({ clearOnRevoke: { marketing: ['_fbp'] }, reloadOnRevoke: true })
    await afterward()
    expect(cookieNames()).toContain('_fbp')
    expect(reload).not.toHaveBeenCalled()
  })
})

describe('after destroy()', () => {
  it('neither deletes cookies nor reloads on a later change of that instance', async () => {
    const ctx = createContext(readConfig({ config: { clearOnRevoke: { marketing: ['_fbp'] }, reloadOnRevoke: true } }))
    startRevoke(ctx, () => true, () => false)
    const granted: ConsentState = {
      ...ctx.stores.$consent.get(), decided: true, reason: null, consentId: crypto.randomUUID(), updatedAt: Date.now(), source: 'api',
      categories: { ...ctx.stores.$consent.get().categories, marketing: true },
    }
    ctx.stores.$consent.set(withChange(granted, 'accept_all'))
    document.cookie = '_fbp=fb.1; path=/'
    ctx.destroy()
    // What a decision still in flight when the SPA tore the instance down publishes.
    ctx.stores.$consent.set(withChange({ ...granted, categories: { ...granted.categories, marketing: false } }, 'withdraw'))
    await afterward()
    expect(cookieNames()).toContain('_fbp')
    expect(reload).not.toHaveBeenCalled()
  })
})
