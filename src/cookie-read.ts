/**
 * Reads a cookie's raw value; `undefined` when absent. No decoding: our values are base64url and dots, and a value
 * that is not ours (quoted, encoded, anything) must reach the decryption and be reported unreadable, not be repaired.
 * Kept apart from `cookie.ts` so the head script reads the consent cookie without carrying js-cookie.
 * @param name cookie name
 */
export function readCookie(name: string): string | undefined {
  // RFC 6265 §4.2.1: the Cookie header is `name=value` pairs joined by "; "; the first pair of a name wins, as in js-cookie.
  for (const pair of document.cookie.split('; ')) {
    const i = pair.indexOf('=')
    if (i > 0 && pair.slice(0, i) === name) return pair.slice(i + 1)
  }
}
