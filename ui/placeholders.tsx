import { render } from 'preact'
import type { TagReport } from '../src/types'
import type { Ui } from './actions'
import { adoptStyles } from './styles'
import { fill, list, pick, speak } from './texts'

/** Attribute on each placeholder host (light DOM, next to the blocked element); its value is the category (space-separated). */
export const PLACEHOLDER_ATTR = 'data-minopio-placeholder'

interface Placed {
  _host: HTMLElement
  _el: HTMLElement
  _display: string
}

const size = (el: HTMLElement, side: 'width' | 'height', rect: number, fallback: number) => {
  const attr = el.getAttribute(side)
  return rect ? `${rect}px` : attr ? (/^\d+$/.test(attr) ? `${attr}px` : attr) : `${fallback}px`
}

function Placeholder({ ui, tag }: { ui: Ui; tag: TagReport }) {
  const { api, t } = ui
  const lang = api.config.lang
  // A tag gated by services names them and grants only them; nothing else of their category is released.
  const services = api.config.categories.flatMap((c) => c.services).filter((s) => s.id && tag.services?.includes(s.id))
  const ids = services.length ? services.map((s) => s.id!) : tag.categories.filter((id) => t.categories[id])
  const names = list(lang, services.length ? services.map((s) => pick(s.name, lang)!) : ids.map((id) => t.categories[id].label))
  const grant = () => {
    const partial: Record<string, boolean> = {}
    for (const id of ids) partial[id] = true
    api.set(partial, { source: 'preferences', shown: ui.shown }).catch((error) => console.error(error))
  }
  // The content by its own name (the iframe's title or aria-label), then what the service does or what it waits for.
  const el = tag.element
  const content = el?.getAttribute('title') || el?.getAttribute('aria-label')
  const about = services.length == 1 && pick(services[0].description, lang)
  const text = about || fill(services.length ? t.placeholderService : t.placeholderText, { service: names, category: names })
  return (
    <div class="ph" role="group" aria-label={content || names}>
      <p>{content ? fill(t.placeholderNamed, { content, text }) : text}</p>
      <div class="bs">
        <button class="b p" data-action="allow" onClick={grant}>{fill(t.allowCategory, { category: names })}</button>
        <button class="b" data-action="load-once" onClick={() => api.loadOnce(tag.id)}>{t.loadOnce}</button>
      </div>
    </div>
  )
}

/**
 * Contextual consent: an in-place placeholder of the same size for every blocked iframe/video of the registry,
 * removed (and the element shown again) once the gate releases it.
 * @param ui the UI handle
 * @returns `sync(tags)` to call on every registry change, and `stop()`
 */
export function createPlaceholders(ui: Ui) {
  const placed = new Map<number, Placed>()
  const drop = (id: number, p: Placed) => {
    render(null, p._host.shadowRoot!)
    p._host.remove()
    p._el.style.display = p._display
    placed.delete(id)
  }
  return {
    sync(tags: readonly TagReport[]) {
      const want = new Set<number>()
      for (const tag of tags) {
        const el = tag.element as HTMLElement | undefined
        if (!el?.isConnected || tag.state !== 'blocked' || (tag.kind !== 'iframe' && tag.kind !== 'video')) continue
        want.add(tag.id)
        if (placed.has(tag.id)) continue
        const rect = el.getBoundingClientRect()
        const host = document.createElement('div')
        host.setAttribute(PLACEHOLDER_ATTR, tag.category)
        speak(host, ui.api.config.lang)
        // CSSOM properties, not a style="" string: allowed under style-src 'self'.
        host.style.width = size(el, 'width', rect.width, 300)
        host.style.height = size(el, 'height', rect.height, 150)
        const root = host.attachShadow({ mode: 'open' })
        adoptStyles(root)
        placed.set(tag.id, { _host: host, _el: el, _display: el.style.display })
        el.style.display = 'none'
        el.before(host)
        render(<Placeholder ui={ui} tag={tag} />, root)
      }
      for (const [id, p] of placed) if (!want.has(id)) drop(id, p)
    },
    stop: () => placed.forEach((p, id) => drop(id, p)),
  }
}
