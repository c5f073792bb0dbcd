import type { ConsentContext } from '../context'
import { clearCookies } from '../cookie'

/**
 * Reacts to a consent change that refuses a category granted before: deletes its `clearOnRevoke` cookies, then,
 * once the new consent is stored and logged, reloads per `reloadOnRevoke` (`auto`: only if one of its tags ran,
 * since code that ran cannot be unloaded).
 * @param ctx SDK context
 * @param ran whether a tag of the category ran in this page view
 * @param stale whether a newer gate took over
 */
export function startRevoke(ctx: ConsentContext, ran: (category: string) => boolean, stale: () => boolean): void {
  const { config } = ctx
  ctx.stores.$consent.listen((s, p) => {
    if (stale() || !p || !s.eventId || s.eventId == p.eventId) return
    const gone = Object.keys(p.categories).filter((c) => p.categories[c] && !s.categories[c])
    for (const c of gone) clearCookies(config.clearOnRevoke[c] ?? [])
    const r = config.reloadOnRevoke
    // The action writes the cookie and the outbox right after this listener returns: wait a microtask so settled() sees them.
    if (gone.length && (r === true || (r && gone.some(ran)))) {
      queueMicrotask(() => void ctx.settled().then(() => location.reload()))
    }
  })
}
