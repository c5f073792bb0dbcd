import type { Category, ConsentState } from '../src/types'
import type { Ui } from './actions'
import { PolicyLink } from './banner'
import { Dialog } from './dialog'
import { pick } from './texts'

/**
 * The preferences dialog: one switch per category (`data-category`), `necessary` on and locked,
 * services and cookies when configured, and Reject all / Accept all / Save.
 * Switches start from the current choice and are not reset by re-renders while open (`defaultChecked`).
 * @param props the UI handle and the current consent
 */
export function Preferences({ ui, state }: { ui: Ui; state: ConsentState }) {
  const { api, t } = ui
  const save = (e: Event) => {
    const partial: Record<string, boolean> = {}
    const box = (e.currentTarget as Element).closest('[role=dialog]')!
    for (const input of box.querySelectorAll<HTMLInputElement>('input[data-category]:not([disabled])')) {
      partial[input.dataset.category!] = input.checked
    }
    ui.act((options) => api.set(partial, options), 'preferences')
  }
  return (
    <Dialog ui={ui} title={t.preferencesTitle}>
      <p>
        {t.preferencesText} <PolicyLink ui={ui} />
      </p>
      {api.config.categories.map((c) => (
        <CategoryRow key={c.id} ui={ui} c={c} on={c.required || state.categories[c.id] === true} />
      ))}
      <div class="bs">
        <button class="b p" data-action="accept-all" onClick={() => ui.act(api.acceptAll, 'preferences')}>{t.acceptAll}</button>
        <button class="b p" data-action="reject-all" onClick={() => ui.act(api.rejectAll, 'preferences')}>{t.rejectAll}</button>
        <button class="b" data-action="save" onClick={save}>{t.save}</button>
      </div>
    </Dialog>
  )
}

function CategoryRow({ ui, c, on }: { ui: Ui; c: Category; on: boolean }) {
  const { t, api } = ui
  const lang = api.config.lang
  const text = t.categories[c.id]
  return (
    <div class="c">
      <label>
        <span>
          {text.label}
          {c.required && <span class="m"> ({t.alwaysOn})</span>}
        </span>
        <input type="checkbox" data-category={c.id} defaultChecked={on} disabled={c.required} aria-describedby={`d-${c.id}`} />
      </label>
      <p class="m" id={`d-${c.id}`}>{text.description}</p>
      {c.services.length > 0 && (
        <ul class="m" aria-label={t.services}>
          {c.services.map((s) => (
            <li key={s.name}>
              {s.name}
              {s.description && ` — ${pick(s.description, lang)}`}
              {s.cookies?.length ? ` (${t.cookies}: ${s.cookies.join(', ')})` : ''}
            </li>
          ))}
        </ul>
      )}
      {c.cookies.length > 0 && <p class="m">{t.cookies}: {c.cookies.join(', ')}</p>}
    </div>
  )
}
