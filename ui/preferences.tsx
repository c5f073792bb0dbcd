import type { Ref } from 'preact'
import type { Category, ConsentChange, ConsentState, ServiceConfig } from '../src/types'
import type { Ui } from './actions'
import { AcceptReject, PolicyLink } from './banner'
import { Dialog } from './dialog'
import { fill, list, pick } from './texts'

/**
 * The preferences dialog: one switch per category (`data-category`), `necessary` on and locked, services and cookies
 * when configured — a service with an `id` has its own switch (`data-service`) — and Reject all / Accept all / Save.
 * Switches start from the current choice; a re-render keeps what the visitor toggled, a new decision (page code) replaces it.
 * @param props the UI handle and the current consent
 */
export function Preferences({ ui, state }: { ui: Ui; state: ConsentState }) {
  const { api, t } = ui
  const save = (e: Event) => {
    const partial: Record<string, boolean> = {}
    const box = (e.currentTarget as Element).closest('[role=dialog]')!
    for (const input of box.querySelectorAll<HTMLInputElement>('input[data-category]:not([disabled]),input[data-service]:not([disabled])')) {
      // A mixed category is not granted as a whole: only its services that are on.
      partial[input.dataset.category ?? input.dataset.service!] = input.checked && !input.indeterminate
    }
    ui.act((options) => api.set(partial, options), 'preferences')
  }
  return (
    <Dialog ui={ui} title={t.preferencesTitle}>
      <p>
        {t.preferencesText} <PolicyLink ui={ui} />
      </p>
      {api.config.categories.map((c) => (
        <CategoryRow key={c.id} ui={ui} c={c} state={state} />
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

// The change each box shows: a re-render must not undo the visitor's click, but a decision page code makes while the
// dialog is open must show (`defaultChecked` would not reach a box the visitor clicked, nor set the mixed state).
const shows = new WeakMap<HTMLInputElement, ConsentChange | null>()
const show = (state: ConsentState, on: boolean, mixed = false) => (el: HTMLInputElement | null) => {
  if (!el || (shows.has(el) && shows.get(el) === state.change)) return
  shows.set(el, state.change)
  el.checked = on && !mixed
  el.indeterminate = mixed
}
const cookieName = (c: NonNullable<ServiceConfig['cookies']>[number]) => String(typeof c == 'object' ? c.name : c)

/**
 * A category's checkbox shows its services: checked when they are all on, unchecked when all off, mixed otherwise.
 * Toggling it sets every service; toggling a service updates it.
 */
const sync = (row: Element, fromCategory: boolean) => {
  const box = row.querySelector<HTMLInputElement>('input[data-category]')!
  const services = [...row.querySelectorAll<HTMLInputElement>('input[data-service]')]
  if (fromCategory) for (const s of services) s.checked = box.checked
  const on = services.filter((s) => s.checked).length
  box.checked = on > 0
  box.indeterminate = on > 0 && on < services.length
}

// The disclosure of a category's services, kept in the DOM: a re-render (props unchanged) leaves it as the visitor set it.
const expand = (e: Event) => {
  const button = e.currentTarget as HTMLButtonElement
  const open = button.getAttribute('aria-expanded') != 'true'
  button.setAttribute('aria-expanded', String(open))
  button.nextElementSibling!.toggleAttribute('hidden', !open)
}

function CategoryRow({ ui, c, state }: { ui: Ui; c: Category; state: ConsentState }) {
  const { t, api } = ui
  const lang = api.config.lang
  const text = t.categories[c.id]
  const on = c.required || state.categories[c.id] === true
  const own = c.services.filter((s) => s.id)
  const grants = own.map((s) => c.required || state.services[s.id!] === true)
  // Mixed: the category and its services do not all agree (a visitor allowed one service, or switched one off).
  const mixed = !c.required && own.length > 0 && new Set([on, ...grants]).size > 1
  const cookies = (names?: string[]) => names?.length ? <span class="sd">{fill(t.cookieList, { list: list(lang, names) })}</span> : null
  const change = (fromCategory: boolean) => (e: Event) => sync((e.currentTarget as Element).closest('.c')!, fromCategory)
  return (
    <div class="c">
      <label>
        <span class="l">{text.label}</span>{' '}
        {c.required && <span class="lk">{LOCK}{t.alwaysOn}</span>}
        {/* A native checkbox: keyboard, form and state come from the browser. A category with its own services is a
            tri-state checkbox (the browser exposes `indeterminate` as aria-checked="mixed"; a switch cannot be mixed). */}
        <input
          type="checkbox" role={own.length ? undefined : 'switch'} data-category={c.id} disabled={c.required}
          aria-describedby={`d-${c.id}`} onChange={own.length ? change(true) : undefined} ref={show(state, on, mixed)}
        />
      </label>
      <p class="m" id={`d-${c.id}`}>{text.description}</p>
      {own.length > 0 && (
        <button type="button" class="lb" aria-expanded="false" aria-controls={`s-${c.id}`} onClick={expand}>
          {fill(t.serviceToggle, { n: String(own.length) })}
        </button>
      )}
      {own.length > 0 && (
        <ul class="sv" id={`s-${c.id}`} hidden aria-label={t.services}>
          {own.map((s, i) => <ServiceRow key={s.id} ui={ui} s={s} box={show(state, grants[i])} locked={c.required} onChange={change(false)} />)}
        </ul>
      )}
      {c.services.length > own.length && (
        <ul class="m" aria-label={t.services}>
          {c.services.filter((s) => !s.id).map((s, i) => (
            <li key={i}>
              <b>{pick(s.name, lang)}</b>
              {s.description && <span class="sd">{pick(s.description, lang)}</span>}
              {cookies(s.cookies?.map(cookieName))}
            </li>
          ))}
        </ul>
      )}
      {c.cookies.length > 0 && <p class="m">{cookies(c.cookies)}</p>}
    </div>
  )
}

function ServiceRow({ ui, s, box, locked, onChange }: { ui: Ui; s: ServiceConfig; box: Ref<HTMLInputElement>; locked: boolean; onChange: (e: Event) => void }) {
  const { t, api } = ui
  const lang = api.config.lang
  const name = pick(s.name, lang)!
  const privacy = s.privacyUrl ?? s.policyUrl
  const cookies = s.cookies ?? []
  const cell = (label: string, value: string | undefined) => <td data-label={label}>{value}</td>
  return (
    <li>
      <label>
        <span class="l">{name}</span>
        <input type="checkbox" role="switch" data-service={s.id} disabled={locked} aria-describedby={`d-${s.id}`} onChange={onChange} ref={box} />
      </label>
      <div class="m" id={`d-${s.id}`}>
        {s.provider && <span class="sd">{fill(t.serviceProvider, { provider: s.provider })}</span>}
        {s.description && <span class="sd">{pick(s.description, lang)}</span>}
      </div>
      {privacy && <a class="m" href={privacy} target="_blank" rel="noopener">{fill(t.servicePrivacy, { service: name })}</a>}
      {cookies.length > 0 && (
        <table class="m">
          <caption class="sr">{fill(t.cookieTable, { service: name })}</caption>
          <thead><tr><th scope="col">{t.cookieName}</th><th scope="col">{t.cookieLifetime}</th><th scope="col">{t.cookiePurpose}</th></tr></thead>
          <tbody>
            {cookies.map((c) => {
              const o = typeof c == 'object' ? c : null
              return (
                <tr key={cookieName(c)}>
                  {cell(t.cookieName, cookieName(c))}
                  {cell(t.cookieLifetime, pick(o?.lifetime, lang))}
                  {cell(t.cookiePurpose, pick(o?.purpose, lang))}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </li>
  )
}
