import type { ComponentChildren } from 'preact'
import type { Ui } from './actions'

// Every control the dialogs render; a disabled switch (the locked `necessary`) is not a tab stop.
const FOCUSABLE = 'a[href],button,input:not([disabled])'

/**
 * A modal dialog over a backdrop: labelled by its title, Tab and Shift+Tab cycle inside it, Escape closes it.
 * The caller (mount) moves focus into it on open and back to the opener on close.
 * @param props the UI handle, the title and the content
 */
export function Dialog({ ui, title, children }: { ui: Ui; title: string; children: ComponentChildren }) {
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      return ui.close()
    }
    if (e.key !== 'Tab') return
    const box = e.currentTarget as HTMLElement
    const all = box.querySelectorAll<HTMLElement>(FOCUSABLE)
    const first = all[0]
    const last = all[all.length - 1]
    const at = (box.getRootNode() as ShadowRoot).activeElement
    if (e.shiftKey ? at === first || at === box : at === last) {
      e.preventDefault()
      ;(e.shiftKey ? last : first).focus()
    }
  }
  return (
    <div class="o">
      <div class="d" role="dialog" aria-modal="true" aria-labelledby="dt" tabIndex={-1} onKeyDown={onKeyDown}>
        <div class="h">
          <h2 id="dt">{title}</h2>
          <button class="x" data-action="close" aria-label={ui.t.close} onClick={ui.close}>×</button>
        </div>
        {children}
      </div>
    </div>
  )
}
