import { render } from 'preact'
import type { ConsentApi } from '../src/api'
import type { View } from '../src/types'
import { createUi } from './actions'
import { AuditPanel } from './audit-panel'
import { uncoveredRequests, watchResources } from './audit-requests'
import { Banner } from './banner'
import { createPlaceholders } from './placeholders'
import { Preferences } from './preferences'
import { SettingsButton } from './settings-button'
import { adoptStyles } from './styles'
import type { Languages } from './texts'
import { speak } from './texts'

/** The id of the UI's host element (a public hook). */
export const HOST_ID = 'minopio-consent'

const isDialog = (view: View | null) => view === 'preferences' || view === 'audit'

// The focused element, looking through open shadow roots (ours included).
const deepActive = () => {
  let at = document.activeElement
  while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement
  return at as HTMLElement | null
}

/**
 * Mounts the consent UI for one SDK instance: a `<div id="minopio-consent">` host with an open shadow root,
 * rendered from `$view` and `$consent`, plus contextual placeholders from `$tags`. The gate's UI loader calls it once.
 * @param api the public API (its stores and actions are the UI's only way into core)
 * @param languages the built-in texts at hand besides English (`mountConsentUI` of the ESM build passes them all)
 * @returns unmount
 */
export function mountWithLanguages(api: ConsentApi, languages: Languages): () => void {
  const { $consent, $view, $tags } = api.stores
  // A polite status message after each decision made in the UI, cleared after a while so that the next identical
  // one is announced again and a screen reader's virtual cursor does not find a stale one.
  let status = ''
  let quiet: ReturnType<typeof setTimeout> | undefined
  const ui = createUi(api, languages, () => {
    status = ui.t.saved
    draw()
    clearTimeout(quiet)
    quiet = setTimeout(() => ((status = ''), draw()), 8000)
  })
  const host = document.createElement('div')
  host.id = HOST_ID
  speak(host, api.config.lang)
  const root = host.attachShadow({ mode: 'open' })
  adoptStyles(root)
  const placeholders = createPlaceholders(ui)
  const html = document.documentElement.style
  let last: View | null = null
  let opener: HTMLElement | null = null
  let clicked: HTMLElement | null = null
  let back: HTMLElement | null = null
  let page: HTMLElement | null = null // what had focus on the page when the banner appeared
  let watchBanner: ResizeObserver | null = null
  let padding = ''
  // Safari does not focus a clicked button: remember our last clicked one as the opener then.
  root.addEventListener('click', (e) => (clicked = (e.target as Element).closest('button')), true)
  let stopWatch: (() => void) | null = null

  // WCAG 2.4.11: while the banner shows, the page scrolls focused controls above it, not under it.
  const pad = (banner: HTMLElement | null) => {
    if (banner && !watchBanner) {
      padding = html.scrollPaddingBottom
      // offsetTop, not the bounding box: the entrance animation's transform would make it 24 px short.
      watchBanner = new ResizeObserver(() => (html.scrollPaddingBottom = `${innerHeight - banner.offsetTop}px`))
      watchBanner.observe(banner)
    } else if (!banner && watchBanner) {
      watchBanner.disconnect()
      watchBanner = null
      html.scrollPaddingBottom = padding
    }
  }

  const draw = () => {
    const view = $view.get()
    const state = $consent.get()
    const tags = $tags.get()
    const at = deepActive()
    if (view !== last && isDialog(view) && !isDialog(last)) opener = at && at !== document.body ? at : clicked
    if (view === 'banner' && !last) page = at && at !== document.body && !host.contains(at) ? at : null
    // The banner closes on a decision taken in it: focus was on one of its buttons, which is about to go.
    const decidedInBanner = last === 'banner' && !view && (at === document.body || document.activeElement === host)
    if (view) host.setAttribute('data-view', view)
    else host.removeAttribute('data-view')
    if (view === 'audit') stopWatch ??= watchResources(draw)
    else if (stopWatch) {
      stopWatch()
      stopWatch = null
    }
    render(
      <>
        <p class="sr" role="status">{status}</p>
        {view === 'banner' && <Banner ui={ui} state={state} />}
        {view === 'preferences' && <Preferences ui={ui} state={state} />}
        {view === 'audit' && <AuditPanel ui={ui} tags={tags} requests={uncoveredRequests(api.config.rules, tags)} />}
        {!view && state.decided && api.config.settingsButton && <SettingsButton ui={ui} />}
      </>,
      root,
    )
    pad(root.querySelector('.bn'))
    if (view !== last) {
      if (isDialog(view)) root.querySelector<HTMLElement>('[role=dialog]')!.focus()
      else if (isDialog(last)) back = opener
      else if (decidedInBanner) back = page ?? clicked
      last = view
    }
    // Focus returns to the opener; if it was ours and re-rendered (Customize), to its successor; after a decision,
    // to what had focus on the page before the banner, else the settings button (it appears once the decision is
    // applied, maybe a draw later), else the site's own [data-minopio-open] control — never to <body>.
    if (back && !isDialog(view)) {
      const to = back.isConnected
        ? back
        : (!view && page?.isConnected && page) ||
          root.querySelector<HTMLElement>(`[data-action="${back.dataset.action}"],[data-action="settings"]`) ||
          (state.decided ? document.querySelector<HTMLElement>('[data-minopio-open]') : null)
      to?.focus()
      if (to || state.decided) back = null
    }
    if (!view && !back) page = null // used once: a later dialog opened from the settings button returns there
    placeholders.sync(tags)
  }

  let stops: Array<() => void> = []
  const start = () => {
    document.body.prepend(host) // first in the tab order: keyboard users reach the banner before the page
    stops = [$view.listen(draw), $consent.listen(draw), $tags.listen(draw)]
    draw()
  }
  // The gate fetches this file from <head>: it may run before <body> exists. Start the moment the parser makes
  // it, not at DOMContentLoaded, which also waits for the rest of the page and its deferred scripts.
  const waitBody = new MutationObserver(() => document.body && (waitBody.disconnect(), start()))
  if (document.body) start()
  else waitBody.observe(document.documentElement, { childList: true })
  return () => {
    waitBody.disconnect()
    for (const stop of stops) stop()
    stopWatch?.()
    clearTimeout(quiet)
    pad(null)
    placeholders.stop()
    render(null, root)
    host.remove()
  }
}
