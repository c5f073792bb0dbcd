// Reading a posted event: the content types the SDK sends (JSON, or text/plain from a beacon), at most the body
// limit, strict UTF-8, then JSON. Every refusal carries the status and the `{ error, field }` the client gets.
import type { IncomingMessage } from 'node:http'
import { LOG_MAX_BODY_BYTES } from '../../src/log-limits.js'

/** A refusal: the HTTP status and the JSON answer. */
export interface Refusal {
  status: 400 | 413 | 415
  error: string
  field: null
  reason: 'content_type' | 'too_large' | 'not_json'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const TOO_LARGE: Refusal = { status: 413, error: `the body is larger than ${LOG_MAX_BODY_BYTES} bytes`, field: null, reason: 'too_large' }

/** Beacons cannot set headers: they send the JSON as `text/plain;charset=UTF-8` (README, "Consent log"). */
function checkType(header: string | undefined): Refusal | null {
  const [type, ...params] = (header ?? '').toLowerCase().split(';').map((s) => s.trim())
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '')
  if (['application/json', 'text/plain'].includes(type) && (!charset || charset === 'utf-8')) return null
  return { status: 415, error: 'Content-Type must be application/json or text/plain;charset=UTF-8 (beacons)', field: null, reason: 'content_type' }
}

async function readLimited(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > LOG_MAX_BODY_BYTES) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * Reads and parses a posted body.
 * @returns the parsed JSON value, or the refusal to answer with
 * @example
 * const body = await readJsonBody(req)
 * if ('refusal' in body) return send(res, body.refusal.status, body.refusal)
 */
export async function readJsonBody(req: IncomingMessage): Promise<{ value: unknown } | { refusal: Refusal }> {
  const badType = checkType(req.headers['content-type'])
  if (badType) return { refusal: badType }
  if (Number(req.headers['content-length']) > LOG_MAX_BODY_BYTES) return { refusal: TOO_LARGE }
  const body = await readLimited(req)
  if (!body) return { refusal: TOO_LARGE }
  try {
    // JSON.parse makes "__proto__" an own key (no prototype change); validation then refuses it as an unknown field.
    return { value: JSON.parse(utf8.decode(body)) }
  } catch {
    return { refusal: { status: 400, error: 'the body is not UTF-8 JSON', field: null, reason: 'not_json' } }
  }
}
