import type { Category, ConsentState } from '../src/types'
import type { Ui } from './actions'
import { AcceptReject, PolicyLink } from './banner'
import { Dialog } from './dialog'
import { fill, list, pick } from './texts'

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
      <div class="bs ft">
        <AcceptReject ui={ui} source="preferences" />
        <button class="b" data-action="save" onClick={save}>{t.save}</button>
      </div>
    </Dialog>
  )
}

// A padlock drawn inline (no url(), no data: URI): the locked switch says "always active" by shape as well as by words.
const LOCK = (
  <svg class="ic" viewBox="0 0 12 14" aria-hidden="true">
    <path fill-rule="evenodd" d="M3 6V4a3 3 0 0 1 6 0v2h1.5v8h-9V6zm1.5 0h3V4a1.5 1.5 0 0 0-3 0z" />
  </svg>
)

function CategoryRow({ ui, c, on }: { ui: Ui; c: Category; on: boolean }) {
  const { t, api } = ui
  const lang = api.config.lang
  const text = t.categories[c.id]
  const cookies = (names?: string[]) => names?.length ? <span class="sd">{fill(t.cookieList, { list: list(lang, names) })}</span> : null
  return (
    <div class="c">
      <label>
        <span class="l">{text.label}</span>{' '}
        {c.required && <span class="lk">{LOCK}{t.alwaysOn}</span>}
        {/* A native checkbox with the switch role: keyboard, form and checked state come from the browser. */}
        <input type="checkbox" role="switch" data-category={c.id} defaultChecked={on} disabled={c.required} aria-describedby={`d-${c.id}`} />
      </label>
      <p class="m" id={`d-${c.id}`}>{text.description}</p>
      {c.services.length > 0 && (
        <ul class="m" aria-label={t.services}>
          {c.services.map((s) => (
            <li key={s.name}>
              <b>{s.name}</b>
              {s.description && <span class="sd">{pick(s.description, lang)}</span>}
              {cookies(s.cookies)}
            </li>
          ))}
        </ul>
      )}
      {c.cookies.length > 0 && <p class="m">{cookies(c.cookies)}</p>}
    </div>
  )
}
