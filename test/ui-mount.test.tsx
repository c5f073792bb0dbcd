import { describe, expect, it, vi } from 'vitest'
import { HOST_ID } from '../ui/index'
import { click, nextChange, q, shadow, startUi, view } from './ui-harness'

describe('mountConsentUI', () => {
  it('shows the banner in an open shadow root of #minopio-consent, with data-view="banner", on a first visit', async () => {
    await startUi()
    const host = document.getElementById(HOST_ID)!
    expect(host.shadowRoot).toBe(shadow())
    expect(view()).toBe('banner')
    expect(q('[data-action="accept-all"]')?.textContent).toBe('Accept all')
  })

  it('puts the host first in <body> so keyboard users reach the banner before the page', async () => {
    document.body.innerHTML = '<a href="/x">page link</a>'
    await startUi()
    expect(document.body.firstElementChild?.id).toBe(HOST_ID)
  })

  it('removes data-view and renders nothing but the empty status region when the API hides the UI', async () => {
    const api = await startUi()
    api.hide()
    expect(view()).toBeNull()
    // The live region stays mounted (a region created together with its message is not announced), silent.
    expect([...shadow().children].map((el) => [el.getAttribute('role'), el.textContent])).toEqual([['status', '']])
  })

  it('follows the views the API sets: preferences, audit, banner', async () => {
    const api = await startUi()
    api.showPreferences()
    expect(view()).toBe('preferences')
    expect(q('[role="dialog"]')?.getAttribute('aria-modal')).toBe('true')
    api.showAudit()
    expect(view()).toBe('audit')
    api.show()
    expect(view()).toBe('banner')
  })

  it('moves focus into a dialog when it opens and back to the opener when it closes', async () => {
    await startUi()
    click('customize')
    expect(shadow().activeElement?.getAttribute('role')).toBe('dialog')
    click('close')
    expect(view()).toBe('banner')
    expect(shadow().activeElement?.getAttribute('data-action')).toBe('customize')
  })

  it('returns focus to a page button that opened the dialog', async () => {
    document.body.innerHTML = '<button id="open">Cookies</button>'
    const api = await startUi()
    api.hide()
    const opener = document.getElementById('open')!
    opener.focus()
    api.showPreferences()
    expect(document.activeElement).toBe(document.getElementById(HOST_ID))
    click('close')
    expect(document.activeElement).toBe(opener)
  })

  it('marks the host with the language shown and its direction', async () => {
    await startUi({ lang: 'fr' })
    const host = document.getElementById(HOST_ID)!
    expect([host.lang, host.dir]).toEqual(['fr', 'ltr'])
  })

  it('writes a right-to-left language right to left', async () => {
    await startUi({ lang: 'ar', texts: { ar: { acceptAll: 'قبول الكل' } } })
    expect(document.getElementById(HOST_ID)!.dir).toBe('rtl')
  })

  it('announces a saved choice in a polite status region, in the language shown', async () => {
    const api = await startUi({ lang: 'nl' })
    const status = q('[role="status"]')!
    expect(status.textContent).toBe('')
    const change = nextChange(api)
    click('reject-all')
    await change
    await vi.waitFor(() => expect(status.textContent).toBe('Uw keuze is opgeslagen.'))
    expect(q('[role="status"]')).toBe(status) // the same node: a region must exist before its message
  })

  it('after a decision in the banner, moves focus to the settings button, not to <body>', async () => {
    const api = await startUi()
    q('[data-action="accept-all"]')!.focus()
    const change = nextChange(api)
    click('accept-all')
    await change
    await Promise.resolve()
    expect(shadow().activeElement?.getAttribute('data-action')).toBe('settings')
  })

  it('after a decision in the banner, gives focus back to the page control that had it when the banner appeared', async () => {
    document.body.innerHTML = '<input id="search">'
    const field = document.getElementById('search')!
    field.focus()
    await startUi()
    q('[data-action="reject-all"]')!.focus()
    click('reject-all')
    expect(document.activeElement).toBe(field)
  })

  it('returns focus to the settings button after a later decision in the dialog it opened, not to that page control', async () => {
    document.body.innerHTML = '<input id="search">'
    const field = document.getElementById('search')!
    field.focus()
    const api = await startUi()
    let change = nextChange(api)
    click('reject-all')
    await change
    await vi.waitFor(() => expect(q('[data-action="settings"]')).not.toBeNull())
    q('[data-action="settings"]')!.focus()
    click('settings')
    expect(view()).toBe('preferences')
    change = nextChange(api)
    click('accept-all')
    await change
    await vi.waitFor(() => expect(shadow().activeElement?.getAttribute('data-action')).toBe('settings'))
  })
})
