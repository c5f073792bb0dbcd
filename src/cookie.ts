import Cookies from 'js-cookie'
import type { CookiePattern } from './types'

/** Where and how long the consent cookie lives. */
export interface CookieOptions {
  domain: string | null
  maxAgeDays: number
}

/**
 * Writes the consent cookie: `SameSite=Lax`, `Secure` on https, `Path=/`, `Max-Age` from config.
 * @param name cookie name
 * @param value cookie value (base64url and dots only: no encoding needed)
 * @param options domain and lifetime
 */
export function writeCookie(name: string, value: string, options: CookieOptions): void {
  Cookies.set(name, value, {
    path: '/',
    sameSite: 'Lax',
    secure: location.protocol === 'https:',
    ...(options.domain ? { domain: options.domain } : {}),
    // RFC 6265 §5.3 step 3: Max-Age wins over Expires; Expires is kept for very old browsers.
    'max-age': String(Math.round(options.maxAgeDays * 86400)),
    expires: options.maxAgeDays,
  })
}

/**
 * Removes a cookie from the current host and from every parent domain, on `/` and each prefix of the current path.
 * A cookie can only be deleted with the domain and path it was set with, and the page cannot read those back.
 * @param name cookie name
 */
export function removeCookie(name: string): void {
  const labels = location.hostname.split('.')
  const domains: Array<string | undefined> = [undefined]
  for (let i = 0; i < labels.length - 1; i++) domains.push(labels.slice(i).join('.'))
  const paths = ['/']
  const segments = location.pathname.split('/').filter(Boolean)
  for (let i = 1; i <= segments.length; i++) paths.push('/' + segments.slice(0, i).join('/'))
  for (const domain of domains) for (const path of paths) Cookies.remove(name, domain ? { domain, path } : { path })
}

/**
 * Deletes every cookie whose name matches one of the patterns (exact names or RegExps).
 * @returns the names deleted
 */
export function clearCookies(patterns: readonly CookiePattern[]): string[] {
  const names = Object.keys(Cookies.get())
  const hit = names.filter((n) => patterns.some((p) => (typeof p === 'string' ? p === n : n.search(p) >= 0)))
  for (const n of hit) removeCookie(n)
  return hit
}
