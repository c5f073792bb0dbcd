// The one place that decides whether a posted consent event is acceptable (README, "Consent log"): its shape, field by field,
// then what it means (necessary granted, reject_all rejecting, known categories, a believable time).
import {
  LOG_CATEGORY_ID, LOG_MAX_AGE_DAYS, LOG_MAX_CATEGORIES, LOG_MAX_CLOCK_SKEW_MINUTES, LOG_MAX_LANGUAGE, LOG_MAX_PAGE,
  LOG_MAX_POLICY_VERSION, LOG_MAX_SDK_VERSION,
} from '../../src/log-limits.js'

import type { ConsentLogEvent } from '../../src/log-event.js'

export type { ConsentAction, ConsentSource } from '../../src/log-event.js'
/** One consent change as the SDK posts it (README, "Consent log"): the SDK's own wire type. */
export type ConsentEvent = ConsentLogEvent

/** Why an event was refused: a sentence naming the field, and the field (`null` for the body as a whole). */
export interface Problem {
  error: string
  field: string | null
}

/** What the semantic checks compare against. */
export interface ValidationContext {
  /** The site's configured category ids; `necessary` is always among them. */
  categories: readonly string[]
  /** The server's clock, in ms since the epoch. */
  now: number
}

/** The categories the SDK configures by default (README, "Config"). */
export const DEFAULT_CATEGORIES = ['necessary', 'analytics', 'marketing', 'partners'] as const
const NECESSARY = 'necessary'
const ACTIONS: readonly string[] = ['accept_all', 'reject_all', 'custom', 'withdraw', 'forget']
const SOURCES: readonly string[] = ['banner', 'preferences', 'api', 'gpc']
/** The fields of an event, in the order the README's "Consent log" lists them. */
export const EVENT_FIELDS = ['eventId', 'consentId', 'timestamp', 'action', 'source', 'categories', 'services', 'previous',
  'policyVersion', 'language', 'page', 'gpc', 'sdkVersion', 'shown'] as const
// Events of the first release (still in visitors' outboxes) have no `services`.
const OPTIONAL: readonly string[] = ['services']
/** Most services an event may carry (each key ≤ 32 characters: well inside the body limit). */
const LOG_MAX_SERVICES = 200
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const HEX64 = /^[0-9a-f]{64}$/
const LANG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i
const SEMVER = /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/
const DAY = 86_400_000

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
const shortString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max
const isLang = (v: unknown) => shortString(v, LOG_MAX_LANGUAGE) && LANG.test(v)

const isIsoTime = (v: unknown) => typeof v === 'string' && ISO.test(v) && new Date(v).toISOString() === v
/**
 * Optional, set by the SDK on each attempt: when it was sent, by the visitor's clock. Not part of the event's identity
 * (a retry of the same event carries another), and stored beside it.
 */
export const SENT_AT = 'sentAt'

/** `true` for a lowercase UUIDv4, the form of every eventId and consentId. */
export const isUuid4 = (v: unknown): v is string => typeof v === 'string' && UUID4.test(v)

function isCategories(v: unknown): v is Record<string, boolean> {
  if (!isObject(v)) return false
  const ids = Object.keys(v)
  return ids.length > 0 && ids.length <= LOG_MAX_CATEGORIES && ids.every((id) => LOG_CATEGORY_ID.test(id) && typeof v[id] === 'boolean')
}

function isServices(v: unknown): v is Record<string, boolean> {
  if (!isObject(v)) return false
  const ids = Object.keys(v)
  return ids.length <= LOG_MAX_SERVICES && ids.every((id) => LOG_CATEGORY_ID.test(id) && typeof v[id] === 'boolean')
}

function isPage(v: unknown): boolean {
  if (!shortString(v, LOG_MAX_PAGE)) return false
  try {
    const u = new URL(v)
    // Origin + path exactly: no query or fragment (they may carry personal data), no credentials, normalized.
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin + u.pathname === v
  } catch {
    return false
  }
}

const CHECKS: Record<(typeof EVENT_FIELDS)[number], (v: unknown) => true | string> = {
  eventId: (v) => isUuid4(v) || 'must be a lowercase UUIDv4',
  consentId: (v) => isUuid4(v) || 'must be a lowercase UUIDv4',
  timestamp: (v) => isIsoTime(v) || 'must be an ISO 8601 UTC time like 2026-11-28T12:00:00.000Z',
  action: (v) => ACTIONS.includes(v as string) || `must be one of ${ACTIONS.join(', ')}`,
  source: (v) => SOURCES.includes(v as string) || `must be one of ${SOURCES.join(', ')}`,
  categories: (v) => isCategories(v) || `must be an object of 1 to ${LOG_MAX_CATEGORIES} category ids → true/false`,
  services: (v) => isServices(v) || `must be an object of 0 to ${LOG_MAX_SERVICES} service ids → true/false`,
  previous: (v) => v === null || isCategories(v) || 'must be null or an object of category id → true/false',
  policyVersion: (v) => shortString(v, LOG_MAX_POLICY_VERSION) || `must be a string of 1 to ${LOG_MAX_POLICY_VERSION} characters`,
  language: (v) => isLang(v) || 'must be a language tag like "en" or "fr-BE"',
  page: (v) => isPage(v) || 'must be an http(s) URL of origin and path only, without query or fragment',
  gpc: (v) => typeof v === 'boolean' || 'must be true or false',
  sdkVersion: (v) => shortString(v, LOG_MAX_SDK_VERSION) && SEMVER.test(v) || 'must be a version like 1.0.0',
  shown: (v) => v === null || (isObject(v) && Object.keys(v).length === 2 && typeof v.texts === 'string' &&
    HEX64.test(v.texts) && isLang(v.lang)) || 'must be null or { texts: 64 hex digits, lang }',
}

function checkMeaning(e: ConsentEvent, { categories, now }: ValidationContext): Problem | null {
  for (const field of ['categories', 'previous'] as const) {
    const unknown = Object.keys(e[field] ?? {}).find((id) => !categories.includes(id))
    if (unknown) return { error: `${field}.${unknown} is not a configured category (have: ${categories.join(', ')})`, field }
  }
  if (e.categories[NECESSARY] !== true) return { error: 'categories.necessary must be true: necessary cookies are always on', field: 'categories' }
  if (e.action === 'reject_all' || e.action === 'withdraw') {
    const granted = Object.keys(e.categories).find((id) => id !== NECESSARY && e.categories[id])
    if (granted) return { error: `categories.${granted} must be false after ${e.action}`, field: 'categories' }
    const services = e.services ?? {}
    const service = Object.keys(services).find((id) => services[id])
    if (service) return { error: `services.${service} must be false after ${e.action}`, field: 'services' }
  }
  const at = Date.parse(e.timestamp)
  // An SDK that sends sentAt ages its outbox by its own count of days, not by the clock, whose setting at the click
  // may have been anything: its timestamp is the visitor's claim, and the receive time is the authoritative one.
  // Older SDKs kept an event up to LOG_MAX_AGE_DAYS (plus a day of slack) by a clock that may run a little fast.
  if (e.sentAt === undefined && (at < now - (LOG_MAX_AGE_DAYS + 1) * DAY || at > now + LOG_MAX_CLOCK_SKEW_MINUTES * 60_000)) {
    return { error: `timestamp must lie between ${LOG_MAX_AGE_DAYS + 1} days ago and ${LOG_MAX_CLOCK_SKEW_MINUTES} minutes ahead of the server's clock`, field: 'timestamp' }
  }
  return null
}

/**
 * Checks a parsed body against the consent-log format (README, "Consent log"): every field's shape, then its meaning for this site.
 * @param body the parsed JSON
 * @param context the site's categories and the server's clock
 * @returns `null` when the event is acceptable, else the first problem found
 * @example
 * const problem = validateEvent(JSON.parse(text), { categories: DEFAULT_CATEGORIES, now: Date.now() })
 * if (problem) return send(res, 400, problem)
 */
export function validateEvent(body: unknown, context: ValidationContext): Problem | null {
  if (!isObject(body)) return { error: 'the body must be a JSON object', field: null }
  for (const field of Object.keys(body)) {
    if (field !== SENT_AT && !(EVENT_FIELDS as readonly string[]).includes(field)) return { error: `unknown field "${field}"`, field }
  }
  if (Object.hasOwn(body, SENT_AT) && !isIsoTime(body[SENT_AT])) return { error: `${SENT_AT} must be an ISO 8601 UTC time like 2026-11-28T12:00:00.000Z`, field: SENT_AT }
  for (const field of EVENT_FIELDS) {
    if (!Object.hasOwn(body, field)) {
      if (OPTIONAL.includes(field)) continue
      return { error: `${field} is missing`, field }
    }
    const ok = CHECKS[field](body[field])
    if (ok !== true) return { error: `${field} ${ok}`, field }
  }
  return checkMeaning(body as unknown as ConsentEvent, context)
}
