import type { ConsentContext } from './context'
import { cookieValue } from './cookie-read'
import { policyTargets, strictPolicy } from './csp'
import type { ConsentState, ResolvedConfig } from './types'

/**
 * The name of strict mode's plaintext hint: the granted ids kept beside the encrypted cookie, so the policy can be
 * written before the record is decrypted. It carries no identifier and can only narrow what the browser fetches:
 * the JS gate still releases a tag only once the verified record grants it.
 * @param cookieName the consent cookie's name
 */
export const hintName = (cookieName: string) => cookieName + '_hint'

/**
 * The ids a strict-mode hint names: category and service ids only, anything else dropped.
 * @param header `document.cookie` or a `Cookie` header
 * @param cookieName the consent cookie's name
 */
export function readHint(header: string, cookieName: string): string[] {
  return (cookieValue(header, hintName(cookieName)) ?? '').split('.').filter((id) => /^[a-z][a-z0-9_-]*$/.test(id))
}

// Category and service ids: a service granted on its own brings its hosts without its category's.
const granted = (s: ConsentState) => (s.decided ? [s.categories, s.services].flatMap((m) => Object.keys(m).filter((id) => m[id])) : [])

/**
 * Strict mode in the browser: inserts the policy as a `<meta http-equiv>` before anything else can load, keeps the
 * hint in step with the decision, and reloads once when a grant needs hosts this page's policy blocks
 * (a meta policy can be tightened, never loosened).
 * @param ctx SDK context
 * @param origins where the SDK loads its own code from (the gate's folder)
 */
export function startStrict(ctx: ConsentContext, origins: string[]): void {
  const { config, stores, warnOnce } = ctx
  const name = hintName(config.cookieName)
  const hint = readHint(document.cookie, config.cookieName)
  const allowed = config.valid ? hint : []
  const meta = document.createElement('meta')
  meta.httpEquiv = 'Content-Security-Policy'
  meta.content = strictPolicy(config, allowed, origins)
  ;(document.head ?? document.documentElement).prepend(meta)
  const hosted = new Set(policyTargets(config).map(([, id]) => id))
  // The hint as the cookie jar holds it: read once at start, and read back only after a write.
  let kept = hint.join('.')
  stores.$consent.listen((s) => {
    if (s.reason == 'loading') return
    const ids = granted(s)
    const value = ids.join('.')
    if (value != kept) {
      writeHint(config, name, value)
      kept = readHint(document.cookie, config.cookieName).join('.')
    }
    if (!ids.some((id) => hosted.has(id) && !allowed.includes(id))) return
    if (kept != value) return warnOnce(`strict: cannot write cookie ${name}`)
    // Once the record and the log event are stored: the reload must not lose the decision it applies.
    setTimeout(() => ctx.settled().then(() => location.reload()))
  })
}

function writeHint(config: ResolvedConfig, name: string, value: string) {
  const age = value ? Math.round(config.cookieMaxAgeDays * 86400) : 0
  document.cookie = `${name}=${value}; path=/; max-age=${age}; SameSite=Lax${location.protocol == 'https:' ? '; Secure' : ''}${config.cookieDomain ? '; domain=' + config.cookieDomain : ''}`
}
