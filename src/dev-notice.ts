// The developer's notice for a broken config, shown only in dev mode (localhost, 127.0.0.1 or `debug: true`): loaded
// with the diagnostics, never part of the head script. Visitors on a production host never see it.

/** The notice's host element id. */
export const DEV_NOTICE_ID = 'minopio-consent-dev-notice'

const CSS = `:host{all:initial}section{position:fixed;z-index:2147483647;top:12px;right:12px;max-width:min(36rem,calc(100vw - 24px));
max-height:calc(100vh - 24px);overflow:auto;box-sizing:border-box;padding:14px 16px;border:2px solid #b00020;border-radius:8px;
background:#fff;color:#1a1a1a;font:14px/1.45 system-ui,sans-serif;box-shadow:0 6px 24px rgba(0,0,0,.25)}
h2{margin:0 2rem .4rem 0;font-size:15px}p{margin:.3rem 0}ul{margin:.3rem 0;padding-left:1.2rem}li{margin:.15rem 0;overflow-wrap:anywhere}
code,li{font-family:ui-monospace,monospace;font-size:13px}.warn{color:#6b4e00}button{position:absolute;top:8px;right:8px;
border:0;background:none;font:inherit;font-size:20px;line-height:1;cursor:pointer;color:inherit;padding:4px 8px}`

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className) node.className = className
  return node
}

/**
 * Shows (or replaces) the dismissible in-page notice listing config problems and warnings, in its own shadow root so
 * the site's CSS neither hides nor restyles it. Values from the config are set as text, never as markup.
 * @param problems what makes the config invalid (optional categories stay blocked)
 * @param warnings what is ignored but probably a mistake (unknown text keys, a language without texts)
 * @returns the host element
 */
export function showDevNotice(problems: readonly string[], warnings: readonly string[]): HTMLElement {
  document.getElementById(DEV_NOTICE_ID)?.remove()
  const host = el('div')
  host.id = DEV_NOTICE_ID
  const root = host.attachShadow({ mode: 'open' })
  const section = el('section')
  section.setAttribute('role', 'alert')
  section.setAttribute('aria-label', 'Minopio Consent configuration')
  const close = el('button', '×')
  close.type = 'button'
  close.setAttribute('aria-label', 'Dismiss')
  close.addEventListener('click', () => host.remove())
  const list = (items: readonly string[], className?: string) => {
    const ul = el('ul')
    for (const item of items) ul.append(el('li', item, className))
    return ul
  }
  section.append(el('h2', problems.length ? 'Minopio Consent: invalid config' : 'Minopio Consent: config warnings'), close)
  if (problems.length) section.append(el('p', 'The banner is not shown and optional categories stay blocked until these are fixed:'), list(problems))
  if (warnings.length) section.append(el('p', 'Ignored, probably a mistake:'), list(warnings, 'warn'))
  section.append(el('p', 'Shown on localhost, 127.0.0.1 or with debug: true only; visitors never see this notice.'))
  // A constructable sheet, not a <style>: it applies under a `style-src 'self'` CSP too.
  try {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(CSS)
    root.adoptedStyleSheets = [sheet]
  } catch {
    // no constructable stylesheets: the notice still shows, unstyled, at the end of the page
  }
  root.append(section)
  const attach = () => document.body.append(host)
  if (document.body) attach()
  else document.addEventListener('DOMContentLoaded', attach, { once: true })
  return host
}
