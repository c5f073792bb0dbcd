// `@minopio/consent/server`: strict mode's policy as a response header, for Node and edge middleware. No DOM.
import { cookieValue } from './cookie-read'
import { STRICT_REGEXP, policyTargets, strictPolicy } from './csp'
import { importSharedKey, open } from './crypto'
import { decodeRecord, recordStatus } from './record'
import { readHint } from './strict'
import type { ConsentConfig } from './types'

/** Options of `consentPolicy`. */
export interface PolicyOptions {
  /** Origins the SDK's own files load from when they are not the site's (a CDN). */
  origins?: string[]
  /** Unix milliseconds to check the record's age against (tests); default now. */
  now?: number
}

/**
 * The `Content-Security-Policy` header value for one request in strict mode: `'self'`, the hosts of required
 * categories and of what this visitor granted. With `encryptionKey` the grants come from the verified record
 * (a forged hint grants nothing); with per-device keys, which only the browser holds, from the plaintext hint.
 * @param cookieHeader the request's `Cookie` header
 * @param config the same config the page gives the SDK
 * @param options further origins, clock
 * @returns the header value
 * @throws Error when a rule is a RegExp (strict mode can only list hosts)
 * @example
 * app.use(async (req, res, next) => {
 *   res.setHeader('Content-Security-Policy', await consentPolicy(req.headers.cookie, config))
 *   next()
 * })
 */
export async function consentPolicy(cookieHeader: string | null | undefined, config: ConsentConfig, options: PolicyOptions = {}): Promise<string> {
  if (policyTargets(config).some(([m]) => typeof m != 'string')) throw new Error(`[minopio-consent] consentPolicy: every rule's match must be ${STRICT_REGEXP}`)
  const header = cookieHeader ?? ''
  const name = config.cookieName ?? 'minopio_consent'
  const hint = readHint(header, name)
  let granted = hint
  if (config.encryptionKey) {
    const value = cookieValue(header, name)
    const plain = value ? await open(value, await importSharedKey(config.encryptionKey), name) : null
    const record = plain ? decodeRecord(plain) : null
    const now = (options.now ?? Date.now()) / 1000
    const valid = record && recordStatus(record, config.policyVersion ?? '1', config.cookieMaxAgeDays ?? 182, now) == 'valid'
    // Record v2 keeps the services whose grant differs from their category's.
    const services = (config.categories ?? []).flatMap((c) => (typeof c == 'string' ? [] : (c.services ?? []).flatMap((x) => (x.id ? [[x.id, c.id]] : []))))
    granted = valid ? [...record.c, ...services.filter(([id, c]) => record.c.includes(c) != record.d.includes(id)).map(([id]) => id)] : []
  }
  return strictPolicy(config, granted, options.origins)
}
