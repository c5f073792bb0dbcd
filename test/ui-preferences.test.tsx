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
    expect(await change).toMatchObject({ change: { action: 'custom', shownLang: 'en' }, source: 'preferences' })
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

  it('shows a decision page code makes while it is open, replacing the visitor\'s unsaved toggles, and stays open', async () => {
    const api = await startUi()
    api.showPreferences()
    toggle('analytics')
    await api.acceptAll()
    expect([view(), ...switches().map((s) => s.checked)]).toEqual(['preferences', true, true, true, true])
    await api.rejectAll()
    expect(switches().map((s) => s.checked)).toEqual([true, false, false, false])
    await api.set({ marketing: true })
    expect(switches().map((s) => s.checked)).toEqual([true, false, true, false])
    toggle('partners')
    publishTags(api, []) // a re-render that is not a decision still keeps the visitor's toggle
    expect(switches().map((s) => s.checked)).toEqual([true, false, true, true])
  })

  it('offers Accept all and Reject all with the same style, and both decide', async () => {
    const api = await startUi()
    api.showPreferences()
    expect(q('[data-action="reject-all"]')!.className).toBe(q('[data-action="accept-all"]')!.className)
    const change = nextChange(api)
    click('reject-all')
    expect(await change).toMatchObject({ change: { action: 'reject_all' }, source: 'preferences' })
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

  describe('services', () => {
    const MARKETING = {
      id: 'marketing',
      services: [
        {
          id: 'pixelwave', name: 'Pixelwave', provider: 'Pixelwave Ltd', description: { en: 'Ads on other sites', fr: 'Publicités ailleurs' },
          privacyUrl: 'https://pixelwave.example/privacy', cookies: [{ name: '_pw_id', lifetime: '90 days', purpose: 'Retargeting' }, '_pw_s'],
        },
        { id: 'kiln-films', name: 'Kiln Films', description: 'Kiln Films sets cookies to count views.' },
      ],
    }
    const config = { categories: ['necessary', 'analytics', MARKETING] }
    const service = (id: string) => q<HTMLInputElement>(`input[data-service="${id}"]`)!
    const category = () => q<HTMLInputElement>('input[data-category="marketing"]')!

    it('lists each service behind a disclosure, with its switch, provider, description, privacy link and cookie table', async () => {
      const api = await startUi(config)
      api.showPreferences()
      const toggle = category().closest('.c')!.querySelector<HTMLButtonElement>('button[aria-controls]')!
      const list = q(`#${toggle.getAttribute('aria-controls')}`)!
      expect([toggle.textContent, toggle.getAttribute('aria-expanded'), list.hidden]).toEqual(['Services in this category (2)', 'false', true])
      toggle.click()
      expect([toggle.getAttribute('aria-expanded'), list.hidden]).toEqual(['true', false])
      expect([service('pixelwave').getAttribute('role'), service('pixelwave').closest('label')!.textContent]).toEqual(['switch', 'Pixelwave'])
      const item = service('pixelwave').closest('li')!
      expect(item.textContent).toContain('Provided by Pixelwave Ltd')
      expect(item.textContent).toContain('Ads on other sites')
      expect(item.querySelector('a')!.getAttribute('href')).toBe('https://pixelwave.example/privacy')
      expect(item.querySelector('a')!.textContent).toBe('Privacy policy of Pixelwave')
      expect([...item.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Cookie name', 'Lifetime', 'Purpose'])
      expect([...item.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent))).toEqual([['_pw_id', '90 days', 'Retargeting'], ['_pw_s', '', '']])
    })

    it('shows the category as mixed (a tri-state checkbox, not a switch) when only some of its services are on', async () => {
      const api = await startUi(config)
      await api.set({ 'kiln-films': true })
      api.showPreferences()
      expect(category().getAttribute('role')).toBeNull()
      expect([category().indeterminate, service('kiln-films').checked, service('pixelwave').checked]).toEqual([true, true, false])
      service('pixelwave').click()
      expect([category().checked, category().indeterminate]).toEqual([true, false])
      service('kiln-films').click()
      expect([category().checked, category().indeterminate]).toEqual([true, true])
    })

    it('shows a page-code decision on the services and the mixed category while open', async () => {
      const api = await startUi(config)
      api.showPreferences()
      await api.set({ 'kiln-films': true })
      expect([category().checked, category().indeterminate, service('kiln-films').checked, service('pixelwave').checked]).toEqual([false, true, true, false])
      await api.acceptAll()
      expect([category().checked, category().indeterminate, service('kiln-films').checked, service('pixelwave').checked]).toEqual([true, false, true, true])
      await api.rejectAll()
      expect([category().checked, category().indeterminate, service('kiln-films').checked, service('pixelwave').checked]).toEqual([false, false, false, false])
    })

    it('saves each service on its own: a mixed category is not granted as a whole', async () => {
      const api = await startUi(config)
      api.showPreferences()
      service('kiln-films').click()
      expect(category().indeterminate).toBe(true)
      const change = nextChange(api)
      click('save')
      expect(await change).toMatchObject({ categories: { marketing: false }, services: { pixelwave: false, 'kiln-films': true } })
    })

    it('switches all of a category\'s services with the category', async () => {
      const api = await startUi(config)
      await api.set({ 'kiln-films': true })
      api.showPreferences()
      category().click()
      expect([service('pixelwave').checked, service('kiln-films').checked, category().indeterminate]).toEqual([true, true, false])
      const change = nextChange(api)
      click('save')
      expect(await change).toMatchObject({ categories: { marketing: true }, services: { pixelwave: true, 'kiln-films': true } })
    })
  })
})
