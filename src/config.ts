import { fromBase64url } from './crypto'
import { LOG_MAX_POLICY_VERSION } from './log-limits'
import type { Category, ConsentConfig, GoogleConsentType, ResolvedConfig, Rule } from './types'

export const CATEGORY_NECESSARY = 'necessary'
export const DEFAULT_CATEGORIES = [CATEGORY_NECESSARY, 'analytics', 'marketing', 'partners']
export const BUILT_IN_LANGS = ['en', 'fr', 'nl', 'de', 'es', 'it']
export const LOG_PREFIX = '[minopio-consent]'

export type GcmMap = Record<GoogleConsentType, string[]>
export const GCM_DEFAULT: GcmMap = {
  ad_storage: ['marketing'], ad_user_data: ['marketing'], ad_personalization: ['marketing'], analytics_storage: ['analytics'],
}
export const CATEGORY_KEYS = ['id', 'required', 'label', 'description', 'services', 'cookies']
export const CATEGORY_ID = /^[a-z][a-z0-9_-]{0,31}$/
export const LANG_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i
// RFC 6265 §4.1.1: cookie-name is an RFC 2616 token.
export const COOKIE_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Chromium and RFC 6265bis cap cookie lifetime at 400 days.
export const MAX_AGE_DAYS = 400
export const CREDENTIALS = ['omit', 'same-origin', 'include']

export type Plain = Record<string, unknown>
export const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp)
export const isBool = (v: unknown) => typeof v === 'boolean'
export const isStr = (v: unknown): v is string => typeof v === 'string'
export const isText = (v: unknown) => isStr(v) || (isPlain(v) && Object.entries(v).every(([k, s]) => LANG_TAG.test(k) && isStr(s)))
export const isList = (v: unknown, item: (x: any) => boolean) => Array.isArray(v) && v.every(item)
export const isUrl = (v: unknown) => {
  try {
    return isStr(v) && /^https?:$/.test(new URL(v, location.href).protocol)
  } catch {
    return false
  }
}
export const isMatch = (m: unknown) => m instanceof RegExp || (isStr(m) && /^\S+$/.test(m))
export const isKey = (v: unknown) => isStr(v) && fromBase64url(v)?.length === 32
export const isDomain = (v: unknown, host: string) => isStr(v) && !!(v = v.replace(/^\./, '')) && (host === v || host.endsWith('.' + v))
export const isPattern = (p: unknown) => isStr(p) || p instanceof RegExp
const isCookie = (x: unknown) => isStr(x) || (isPlain(x) && isPattern(x.name) && Object.keys(x).every((k) => k == 'name' || ((k == 'lifetime' || k == 'purpose') && isText(x[k]))))
/** What each key of a service must be (the diagnostics name the same keys). */
export const SERVICE_CHECKS: Record<string, (v: any) => unknown> = {
  id: (v) => isStr(v) && CATEGORY_ID.test(v),
  name: isText,
  provider: isStr,
  description: isText,
  privacyUrl: isUrl,
  policyUrl: isUrl,
  cookies: (v) => isList(v, isCookie),
  match: (v) => isList(v, isMatch),
}
/** A service entry with a name and only known, well-formed keys. */
export const isService = (x: unknown) => isPlain(x) && x.name !== undefined && Object.entries(x).every(([k, v]) => k in SERVICE_CHECKS && (v === undefined || !!SERVICE_CHECKS[k](v)))
/** A rule naming a category, or (`service`) a service; an unknown service only warns (the gate holds its tags). */
export const isRule = (r: any, isId: (v: unknown) => boolean) => isMatch(r?.match) && (r.service === undefined ? isId(r.category) : isStr(r.service) && r.category === undefined)
/**
 * Every service with an id, mapped to its category id: how the gate, the record and the API tell a service id.
 * @param categories resolved categories
 */
export const serviceCategories = (categories: readonly Category[]): Record<string, string> => {
  // No prototype: `'constructor' in map` must be false for `data-consent="constructor"`.
  const out: Record<string, string> = Object.create(null)
  for (const c of categories) for (const s of c.services) if (s.id) out[s.id] = c.id
  return out
}

/** Raw config sources: the config object wins over the script tag's `data-*` attributes. */
export interface ConfigInput {
  config?: unknown
  /** `dataset` of the script tag: `endpoint`, `policyVersion`, `lang`. */
  dataset?: Record<string, string | undefined>
}

/**
 * Picks the language: the first requested tag with texts, by exact tag then primary subtag (`fr-BE` → `fr`).
 * @param requested tags in order of preference (config, `<html lang>`, `navigator.languages`)
 * @param available languages with texts
 */
export function resolveLanguage(requested: readonly (string | null | undefined)[], available: readonly string[]): string {
  for (const tag of requested) {
    const lower = (tag ?? '').toLowerCase()
    const hit = available.find((a) => a.toLowerCase() === lower) ?? available.find((a) => a === lower.split('-')[0])
    if (hit) return hit
  }
  return 'en'
}

/** The config object merged with the script tag's keys (the object wins). */
export function mergeInput(input: ConfigInput): Plain & ConsentConfig {
  const given = input.config ?? {}
  const data = input.dataset ?? {}
  const c: Plain & ConsentConfig = isPlain(given) ? { ...given } : {}
  c.endpoint ??= data.endpoint
  c.policyVersion ??= data.policyVersion
  c.lang ??= data.lang
  return c
}

/**
 * The complete config from what passed its check, defaults for the rest: shared by the head's guard and the diagnostics.
 * @param c merged input
 * @param categories the categories that have a usable id
 * @param ok whether a top-level key passed its check
 * @param valid whether the whole config is valid
 */
export function completeConfig(c: Plain & ConsentConfig, categories: Category[], ok: (key: string) => boolean, valid: boolean): ResolvedConfig {
  const pick = <T>(key: string, fallback: T): T => (ok(key) ? (c[key] as T) : fallback)
  const texts = pick<Plain>('texts', {})
  const textLangs = Object.keys(texts).filter((k) => LANG_TAG.test(k) && isPlain(texts[k]) && !BUILT_IN_LANGS.includes(k))
  const gcm = pick<boolean | Record<string, string | string[]>>('googleConsentMode', false)
  return {
    categories,
    policyVersion: pick('policyVersion', '1'),
    policyUrl: pick('policyUrl', null),
    endpoint: pick('endpoint', null),
    endpointHeaders: pick('endpointHeaders', {}),
    endpointCredentials: pick('endpointCredentials', 'omit'),
    // Fail closed: with a bad rule the well-formed ones still hold their tags (nothing is released while invalid).
    // A service's `match` adds rules for that service (for its category when it has no id).
    rules: [
      ...(Array.isArray(c.rules) ? (c.rules as Rule[]).filter((r) => isMatch(r?.match) && (isStr(r.category) || isStr(r.service))) : []),
      ...categories.flatMap((x) => x.services.flatMap((s) => (isList(s.match, isMatch) ? s.match!.map((match) => (s.id ? { match, service: s.id } : { match, category: x.id })) : []))),
    ],
    cookieName: pick('cookieName', 'minopio_consent'),
    cookieDomain: pick('cookieDomain', null),
    cookieMaxAgeDays: pick('cookieMaxAgeDays', 182),
    encryptionKey: pick('encryptionKey', null),
    clearOnRevoke: pick('clearOnRevoke', {}),
    reloadOnRevoke: pick('reloadOnRevoke', 'auto'),
    honorGPC: pick('honorGPC', true),
    googleConsentMode: gcm ? (Object.fromEntries(Object.entries({ ...GCM_DEFAULT, ...(gcm === true ? {} : gcm) }).map(([t, v]) => [t, [v].flat()])) as GcmMap) : null,
    lang: resolveLanguage([pick('lang', null), document.documentElement.lang, ...(navigator.languages ?? [])], [...BUILT_IN_LANGS, ...textLangs]),
    texts,
    settingsButton: pick('settingsButton', true),
    uiUrl: pick('uiUrl', null),
    nonce: pick('nonce', null),
    strict: pick('strict', false),
    valid,
  }
}

/** A category read from a config entry, and whether the entry's other keys are well formed. */
export interface ReadCategory {
  _category: Category
  _wellFormed: boolean
}

/**
 * A category from a config entry (an id or `{ id, … }`), with whether its other keys are well formed;
 * `null` when it has no usable id.
 */
export function toCategory(item: unknown): ReadCategory | null {
  const o: Plain = isStr(item) ? { id: item } : isPlain(item) ? item : {}
  const id = o.id
  if (!isStr(id) || !CATEGORY_ID.test(id)) return null
  const fine = Object.keys(o).every((k) => CATEGORY_KEYS.includes(k)) &&
    (o.required === undefined || isBool(o.required)) &&
    (o.label === undefined || isText(o.label)) &&
    (o.description === undefined || isText(o.description)) &&
    (o.services === undefined || isList(o.services, isService)) &&
    (o.cookies === undefined || isList(o.cookies, isStr))
  return {
    _category: {
      id, required: id === CATEGORY_NECESSARY || o.required === true, label: o.label, description: o.description,
      services: Array.isArray(o.services) ? o.services.filter(isPlain) : [], cookies: Array.isArray(o.cookies) ? o.cookies : [],
    } as unknown as Category,
    _wellFormed: fine,
  }
}

/**
 * Reads the config the cheap way the head script can afford: every key checked, no messages. An invalid config comes
 * back with `valid: false` (the SDK fails closed); the diagnostics chunk (`config-diagnostics.ts`) then names each
 * problem. The two always agree (a test runs every case through both).
 * @param input the config object and the script tag's dataset
 * @example
 * const config = readConfig({ config: window.minopioConsentConfig })
 * if (!config.valid) loadDiagnostics()
 */
export function readConfig(input: ConfigInput = {}): ResolvedConfig {
  const c = mergeInput(input)
  let valid = isPlain(input.config ?? {})
  const raw = c.categories ?? DEFAULT_CATEGORIES
  const categories: Category[] = []
  if (!Array.isArray(raw) || !raw.length) valid = false
  else for (const item of raw) {
    const r = toCategory(item)
    if (!r || categories.some((x) => x.id === r._category.id)) valid = false
    else {
      valid &&= r._wellFormed
      categories.push(r._category)
    }
  }
  if (!categories.some((x) => x.id === CATEGORY_NECESSARY)) categories.unshift({ id: CATEGORY_NECESSARY, required: true, services: [], cookies: [] })
  // Service ids share one namespace with category ids (`data-consent`, `set()`, `has()` take both).
  const names = categories.flatMap((x) => [x.id, ...x.services.map((s) => s.id).filter(isStr)])
  if (new Set(names).size < names.length) valid = false
  const isId = (v: unknown) => isStr(v) && categories.some((x) => x.id === v)
  const isLeaves = (v: unknown): boolean => isPlain(v) && Object.values(v).every((s) => isStr(s) || isLeaves(s))
  const checks: Record<string, (v: any) => unknown> = {
    categories: () => 1,
    policyVersion: (v) => isStr(v) && v && v.length <= LOG_MAX_POLICY_VERSION, // the collector refuses longer ones
    policyUrl: isUrl,
    endpoint: isUrl,
    endpointHeaders: (v) => isPlain(v) && Object.values(v).every(isStr),
    endpointCredentials: (v) => CREDENTIALS.includes(v),
    rules: (v) => isList(v, (r) => isRule(r, isId) && !(c.strict === true && r.match instanceof RegExp)),
    cookieName: (v) => isStr(v) && COOKIE_TOKEN.test(v),
    cookieDomain: (v) => isDomain(v, location.hostname),
    cookieMaxAgeDays: (v) => v > 0 && v <= MAX_AGE_DAYS,
    encryptionKey: isKey,
    clearOnRevoke: (v) => isPlain(v) && Object.entries(v).every(([k, l]) => isId(k) && isList(l, isPattern)),
    reloadOnRevoke: (v) => v === 'auto' || isBool(v),
    honorGPC: isBool,
    googleConsentMode: (v) => isBool(v) || (isPlain(v) && Object.entries(v).every(([t, l]) => t in GCM_DEFAULT && (isId(l) || isList(l, isId)))),
    lang: (v) => isStr(v) && LANG_TAG.test(v),
    texts: isLeaves,
    settingsButton: isBool,
    uiUrl: isUrl,
    nonce: isStr,
    strict: (v) => isBool(v) && !(v && categories.some((x) => x.services.some((s) => s.match?.some((m) => m instanceof RegExp)))),
    debug: isBool,
  }
  const bad = new Set<string>()
  for (const [key, value] of Object.entries(c)) {
    if (!(key in checks) || (value !== undefined && !checks[key](value))) bad.add(key)
  }
  return completeConfig(c, categories, (key) => c[key] !== undefined && !bad.has(key), valid && !bad.size)
}
