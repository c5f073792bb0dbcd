/**
 * Reads a cookie's raw value; `undefined` when absent. No decoding: our values are base64url and dots, and a value
 * that is not ours (quoted, encoded, anything) must reach the decryption and be reported unreadable, not be repaired.
 * Kept apart from `cookie.ts` so the head script reads the consent cookie without carrying js-cookie.
 * @param name cookie name
 */
export function readCookie(name: string): string | undefined {
  return cookieValue(document.cookie, name)
}

/**
 * A cookie's raw value in a `Cookie` header or `document.cookie` string; `undefined` when absent.
 * @param header the cookie string
 * @param name cookie name
 */
export function cookieValue(header: string, name: string): string | undefined {
  // RFC 6265 §4.2.1: the Cookie header is `name=value` pairs joined by "; "; the first pair of a name wins, as in js-cookie.
  for (const pair of header.split(/; */)) {
    const i = pair.indexOf('=')
    if (i > 0 && pair.slice(0, i) === name) return pair.slice(i + 1)
  }
}
