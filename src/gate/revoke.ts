import type { ConsentContext } from '../context'
import { clearCookies } from '../cookie'
import type { CookiePattern, ServiceConfig } from '../types'

const cookiesOf = (s: ServiceConfig): CookiePattern[] => (s.cookies ?? []).map((c) => (typeof c == 'object' ? c.name : c))

/**
 * Reacts to a consent change that refuses a category or service granted before: deletes its cookies (the category's
 * `clearOnRevoke`, plus each refused service's own `cookies` — a service without an id goes with its category), then,
 * once the new consent is stored and logged, reloads per `reloadOnRevoke` (`auto`: only if one of its tags ran,
 * since code that ran cannot be unloaded).
 * @param ctx SDK context
 * @param ran whether a tag gated by the category or service ran in this page view
 * @param stale whether a newer gate took over
 */
export function startRevoke(ctx: ConsentContext, ran: (id: string) => boolean, stale: () => boolean): void {
  const { config } = ctx
  const off = ctx.stores.$consent.listen((s, p) => {
    if (stale() || !p || !s.change || s.change == p.change) return
    const gone = Object.keys(p.categories).filter((c) => p.categories[c] && !s.categories[c])
    const goneServices = Object.keys(p.services).filter((c) => p.services[c] && !s.services[c])
    for (const c of gone) clearCookies(config.clearOnRevoke[c] ?? [])
    for (const c of config.categories) {
      for (const service of c.services) {
        if (service.id ? goneServices.includes(service.id) : gone.includes(c.id)) clearCookies(cookiesOf(service))
      }
    }
    gone.push(...goneServices)
    const r = config.reloadOnRevoke
    // The decision stored its cookie and log event before publishing; settled() also covers any write still tracked.
    if (gone.length && (r === true || (r && gone.some(ran)))) {
      queueMicrotask(() => void ctx.settled().then(() => location.reload()))
    }
  })
  ctx.onDestroy(off)
}
