import { describe, expect, it } from 'vitest'
import { HOST_ID } from '../ui/index'
import { click, q, shadow, startUi, view } from './ui-harness'

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

  it('removes data-view and renders nothing when the API hides the UI', async () => {
    const api = await startUi()
    api.hide()
    expect(view()).toBeNull()
    expect(shadow().children.length).toBe(0)
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
})
