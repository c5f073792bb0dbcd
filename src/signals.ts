import { serviceCategories } from './config'
import type { ConsentContext } from './context'
import type { ConsentState } from './types'

type GtagWindow = Window & { dataLayer?: unknown[]; gtag?: (...args: unknown[]) => void }

/** Whether the browser sends Global Privacy Control (`navigator.globalPrivacyControl`). */
export function detectGpc(): boolean {
  return (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true
}

/**
 * Starts the outgoing privacy signals: with `googleConsentMode`, Google Consent Mode v2 — every type denied by
 * default before any gated tag can run, then an update from the stored consent and on every change.
 * A type is granted when all its mapped categories are, and a category counts only when all its services are too.
 * @param ctx SDK context
 * @example
 * createConsent({ googleConsentMode: { ad_storage: 'marketing', analytics_storage: 'analytics' } })
 */
export function startSignals(ctx: ConsentContext): void {
  const map = ctx.config.googleConsentMode
  if (!map) return
  const w = window as GtagWindow
  // Another script owns that name with something else: leave it alone rather than break the page.
  if (w.dataLayer && !Array.isArray(w.dataLayer)) return ctx.warnOnce('window.dataLayer is not an array: Google Consent Mode signals are not sent')
  // gtag.js reads Arguments objects from the dataLayer, not arrays: this is Google's own snippet. A frozen dataLayer
  // refuses the push: the decision (already stored) and the other reactions go on, with one warning.
  function gtag(..._: unknown[]) {
    try {
      // eslint-disable-next-line prefer-rest-params
      ;(w.dataLayer = w.dataLayer || []).push(arguments)
    } catch {
      ctx.warnOnce('window.dataLayer refused a Google Consent Mode signal (is it frozen?)')
    }
  }
  w.gtag = w.gtag || gtag
  const svc = serviceCategories(ctx.config.categories)
  const granted = (s: ConsentState, c: string) => s.categories[c] && Object.keys(svc).every((id) => svc[id] != c || s.services[id])
  const types = (s?: ConsentState) => {
    const out: Record<string, string> = {}
    for (const [type, cats] of Object.entries(map)) out[type] = s && cats.every((c) => granted(s, c)) ? 'granted' : 'denied'
    return out
  }
  gtag('consent', 'default', { ...types(), wait_for_update: 500 })
  ctx.onDestroy(ctx.stores.$consent.listen((s) => {
    if (ctx.config.valid && s.reason != 'loading') gtag('consent', 'update', types(s))
  }))
}
