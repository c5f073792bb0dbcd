import { describe, expect, it } from 'vitest'
import { click, nextChange, publishTags, q, shadow, startUi, view } from './ui-harness'

const switches = () => [...shadow().querySelectorAll<HTMLInputElement>('input[data-category]')]
const toggle = (id: string) => q<HTMLInputElement>(`input[data-category="${id}"]`)!.click()

describe('preferences dialog', () => {
  it('is a modal dialog labelled by its title with one native checkbox per category, exposed as a switch', async () => {
    const api = await startUi()
    api.showPreferences()
    const dialog = q('[role="dialog"]')!
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(q(`#${dialog.getAttribute('aria-labelledby')}`)?.textContent).toBe('Cookie settings')
    expect(switches().map((s) => [s.dataset.category, s.type, s.getAttribute('role')])).toEqual([
      ['necessary', 'checkbox', 'switch'], ['analytics', 'checkbox', 'switch'], ['marketing', 'checkbox', 'switch'], ['partners', 'checkbox', 'switch'],
    ])
    for (const s of switches()) expect(s.closest('label')?.textContent).toBeTruthy()
  })

  it('shows necessary on, locked and labelled "Always active", the others off before any decision', async () => {
    const api = await startUi()
    api.showPreferences()
    expect(switches().map((s) => [s.checked, s.disabled])).toEqual([[true, true], [false, false], [false, false], [false, false]])
    expect(q('label')?.textContent).toBe('Necessary Always active')
    expect(q('label svg')?.getAttribute('aria-hidden')).toBe('true') // the padlock is drawn, not read
  })

  it('saves exactly the switches turned on, as a custom choice from the preferences', async () => {
    const api = await startUi()
    click('customize')
    toggle('analytics')
    toggle('partners')
    const change = nextChange(api)
    click('save')
    expect(view()).toBeNull()
    expect(await change).toMatchObject({ action: 'custom', source: 'preferences', shownLang: 'en' })
    expect(api.get().categories).toEqual({ necessary: true, analytics: true, marketing: false, partners: true })
  })

  it('shows the current choice when opened again, and keeps a toggled switch across re-renders', async () => {
    const api = await startUi()
    await api.set({ marketing: true })
    api.showPreferences()
    expect(switches().map((s) => s.checked)).toEqual([true, false, true, false])
    toggle('analytics')
    publishTags(api, []) // a registry update while open re-renders the dialog…
    expect(q<HTMLInputElement>('input[data-category="analytics"]')!.checked).toBe(true) // …without undoing the visitor's toggle
  })

  it('offers Accept all and Reject all with the same style, and both decide', async () => {
    const api = await startUi()
    api.showPreferences()
    expect(q('[data-action="reject-all"]')!.className).toBe(q('[data-action="accept-all"]')!.className)
    const change = nextChange(api)
    click('reject-all')
    expect(await change).toMatchObject({ action: 'reject_all', source: 'preferences' })
  })

  it('goes back to the banner on Escape or Close while nothing is decided, and closes once decided', async () => {
    const api = await startUi()
    api.showPreferences()
    q('[role="dialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(view()).toBe('banner')
    await api.rejectAll()
    api.showPreferences()
    click('close')
    expect(view()).toBeNull()
  })

  it('lists the services and cookies a category declares, in the visitor\'s language', async () => {
    const api = await startUi({
      lang: 'fr',
      categories: ['necessary', { id: 'analytics', cookies: ['_ga'], services: [{ name: 'Matomo', description: { en: 'Stats', fr: 'Statistiques' }, cookies: ['_pk_id'] }] }],
    })
    api.showPreferences()
    const row = q('input[data-category="analytics"]')!.closest('.c')!
    // Name, description and cookies each on their own line; the words around the list come from the French texts.
    expect([...row.querySelectorAll('li > *')].map((el) => el.textContent)).toEqual(['Matomo', 'Statistiques', 'Cookies\u00a0: _pk_id'])
    expect(row.textContent).toContain('Cookies\u00a0: _ga')
  })

  it('keeps Tab inside the dialog: from the last control to the first, and Shift+Tab back', async () => {
    const api = await startUi({ policyUrl: '/privacy' })
    api.showPreferences()
    const dialog = q('[role="dialog"]')!
    const controls = [...dialog.querySelectorAll<HTMLElement>('a[href],button,input:not([disabled])')]
    controls.at(-1)!.focus()
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }))
    expect(shadow().activeElement).toBe(controls[0])
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }))
    expect(shadow().activeElement).toBe(controls.at(-1))
  })
})
