import { describe, expect, it } from 'vitest'
import { click, q, startUi, view } from './ui-harness'

describe('settings button', () => {
  it('is absent before a decision and appears after one, without a data-view', async () => {
    const api = await startUi()
    expect(q('[data-action="settings"]')).toBeNull()
    await api.acceptAll()
    api.hide()
    expect(q('[data-action="settings"]')?.textContent).toBe('Cookie settings')
    expect(view()).toBeNull()
  })

  it('reopens the preferences dialog', async () => {
    const api = await startUi()
    await api.rejectAll()
    api.hide()
    click('settings')
    expect(view()).toBe('preferences')
  })

  it('is not shown when config.settingsButton is false', async () => {
    const api = await startUi({ settingsButton: false })
    await api.acceptAll()
    api.hide()
    expect(q('[data-action="settings"]')).toBeNull()
  })
})
