import { fromBase64url } from './crypto'
import type { Category, ConsentConfig, GoogleConsentType, ResolvedConfig, Rule } from './types'

export const CATEGORY_NECESSARY = 'necessary'
export const DEFAULT_CATEGORIES = [CATEGORY_NECESSARY, 'analytics', 'marketing', 'partners']
export const BUILT_IN_LANGS = ['en', 'fr', 'nl', 'de']
export const LOG_PREFIX = '[minopio-consent]'

type GcmMap = Record<GoogleConsentType, string[]>
const GCM_DEFAULT: GcmMap = {
  ad_storage: ['marketing'], ad_user_data: ['marketing'], ad_personalization: ['marketing'], analytics_storage: ['analytics'],
}
const CATEGORY_KEYS = ['id', 'required', 'label', 'description', 'services', 'cookies']
const CATEGORY_ID = /^[a-z][a-z0-9_-]{0,31}$/
const LANG_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i
// RFC 6265 §4.1.1: cookie-name is an RFC 2616 token.
const COOKIE_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Chromium and RFC 6265bis cap cookie lifetime at 400 days.
const MAX_AGE_DAYS = 400

type Plain = Record<string, unknown>
type Check = (value: any, path: string) => string | void
const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp)
const show = (v: unknown) => (v instanceof RegExp ? String(v) : JSON.stringify(v) ?? String(v))
const isBool = (v: unknown) => typeof v === 'boolean'
const isStr = (v: unknown) => typeof v === 'string'
const isText = (v: unknown) => isStr(v) || (isPlain(v) && Object.entries(v).every(([k, s]) => LANG_TAG.test(k) && isStr(s)))
const isList = (v: unknown, item: (x: any) => boolean) => Array.isArray(v) && v.every(item)
const isUrl = (v: unknown) => {
  try {
    return isStr(v) && /^https?:$/.test(new URL(v, location.href).protocol)
  } catch {
    return false
  }
}

/** A check from a predicate and what it expects, e.g. `expect(isBool, 'true or false')`. */
const expect = (ok: (v: any) => boolean, what: string): Check => (v) => (ok(v) ? undefined : what)
const oneOf = (list: readonly string[]) => `one of ${list.join(', ')}`
const BOOL = 'true or false'
const TEXT = "a string or { en: '…', fr: '…' }"
const URL_OR_PATH = 'an http(s) URL or a path'

/** Raw config sources: the config object wins over the script tag's `data-*` attributes. */
export interface ConfigInput {
  config?: unknown
  /** `dataset` of the script tag: `endpoint`, `policyVersion`, `lang`. */
  dataset?: Record<string, string | undefined>
}

/** The outcome of `resolveConfig`: always a usable config, plus the problems found (empty when valid). */
export interface ConfigResult {
  config: ResolvedConfig
  problems: string[]
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

function toCategory(item: unknown, i: number, seen: string[], bad: (path: string, what: string, got: unknown) => void): Category | null {
  const at = `categories[${i}]`
  const o: Plain = isStr(item) ? { id: item } : isPlain(item) ? item : {}
  const id = o.id as string
  if (!isStr(id) || !CATEGORY_ID.test(id)) return bad(`${at}.id`, 'a lowercase id like "marketing"', o.id ?? item), null
  if (seen.includes(id)) return bad(at, `a unique id ("${id}" is used twice)`, item), null
  for (const key of Object.keys(o)) if (!CATEGORY_KEYS.includes(key)) bad(`${at}.${key}`, oneOf(CATEGORY_KEYS), key)
  const checks: Record<string, Check> = {
    required: expect(isBool, BOOL),
    label: expect(isText, TEXT),
    description: expect(isText, TEXT),
    services: expect((s) => isList(s, (x) => isPlain(x) && isStr(x.name)), 'an array of { name, … }'),
    cookies: expect((s) => isList(s, isStr), 'an array of cookie names'),
  }
  for (const [key, check] of Object.entries(checks)) {
    const problem = o[key] === undefined ? undefined : check(o[key], key)
    if (problem) bad(`${at}.${key}`, problem, o[key])
  }
  return {
    id, required: id === CATEGORY_NECESSARY || o.required === true, label: o.label, description: o.description,
    services: Array.isArray(o.services) ? o.services : [], cookies: Array.isArray(o.cookies) ? o.cookies : [],
  } as Category
}

/**
 * Reads, validates and completes the config. Never throws: problems come back as messages that name the key,
 * and a config with problems comes back with `valid: false` so the SDK fails closed.
 * @param input the config object and the script tag's dataset
 * @example
 * const { config, problems } = resolveConfig({ config: window.minopioConsentConfig })
 */
export function resolveConfig(input: ConfigInput = {}): ConfigResult {
  const problems: string[] = []
  const bad = (path: string, what: string, got: unknown) => void problems.push(`${path}: expected ${what}, got ${show(got)}`)
  const given = input.config ?? {}
  const data = input.dataset ?? {}
  if (!isPlain(given)) bad('config', 'an object', given)
  const c: Plain & ConsentConfig = isPlain(given) ? { ...given } : {}
  c.endpoint ??= data.endpoint
  c.policyVersion ??= data.policyVersion
  c.lang ??= data.lang

  const rawCategories = c.categories ?? DEFAULT_CATEGORIES
  const categories: Category[] = []
  if (!isList(rawCategories, () => true) || !rawCategories.length) bad('categories', 'a non-empty array of ids or { id, … }', rawCategories)
  else rawCategories.forEach((item, i) => {
    const category = toCategory(item, i, categories.map((x) => x.id), bad)
    if (category) categories.push(category)
  })
  // `necessary` is always there and always on, even when a site lists only its optional categories.
  if (!categories.some((x) => x.id === CATEGORY_NECESSARY)) categories.unshift({ id: CATEGORY_NECESSARY, required: true, services: [], cookies: [] })
  const ids = categories.map((x) => x.id)
  const isId = (v: unknown) => isStr(v) && ids.includes(v)
  const idList = `a configured category (have: ${ids.join(', ')})`

  const host = location.hostname
  const checks: Record<string, Check> = {
    categories: () => undefined,
    policyVersion: expect((v) => isStr(v) && !!v, 'a non-empty string like "2024-05"'),
    policyUrl: expect(isUrl, URL_OR_PATH),
    endpoint: expect(isUrl, URL_OR_PATH),
    endpointHeaders: expect((v) => isPlain(v) && Object.values(v).every(isStr), '{ header: string }'),
    endpointCredentials: expect((v) => ['omit', 'same-origin', 'include'].includes(v), '"omit", "same-origin" or "include"'),
    rules: (v) => {
      if (!Array.isArray(v)) return 'an array of { match, category }'
      v.forEach((rule, i) => {
        const m = rule?.match
        if (!(m instanceof RegExp) && !(isStr(m) && /^\S+$/.test(m))) bad(`rules[${i}].match`, 'a host, host/path prefix or RegExp', m)
        else if (!isId(rule.category)) bad(`rules[${i}].category`, idList, rule.category)
      })
    },
    cookieName: expect((v) => isStr(v) && COOKIE_TOKEN.test(v), 'a cookie token (RFC 6265)'),
    cookieDomain: expect((v) => isStr(v) && !!(v = v.replace(/^\./, '')) && (host === v || host.endsWith('.' + v)), `this host or a parent of it (${host})`),
    cookieMaxAgeDays: expect((v) => v > 0 && v <= MAX_AGE_DAYS, `a number of days from 1 to ${MAX_AGE_DAYS}`),
    encryptionKey: expect((v) => isStr(v) && fromBase64url(v)?.length === 32, 'a 256-bit key in base64url (43 chars)'),
    clearOnRevoke: (v) => {
      if (!isPlain(v)) return '{ category: [cookie name or RegExp, …] }'
      for (const [cat, list] of Object.entries(v)) {
        if (!isId(cat)) bad(`clearOnRevoke.${cat}`, idList, cat)
        else if (!isList(list, (p) => isStr(p) || p instanceof RegExp)) bad(`clearOnRevoke.${cat}`, 'an array of cookie names or RegExps', list)
      }
    },
    reloadOnRevoke: expect((v) => v === 'auto' || isBool(v), '"auto", ' + BOOL),
    honorGPC: expect(isBool, BOOL),
    googleConsentMode: (v) => {
      if (isBool(v)) return
      if (!isPlain(v)) return 'true, false or { ad_storage: "marketing", … }'
      for (const [type, cats] of Object.entries(v)) {
        if (!(type in GCM_DEFAULT)) bad(`googleConsentMode.${type}`, oneOf(Object.keys(GCM_DEFAULT)), type)
        else if (!isId(cats) && !isList(cats, isId)) bad(`googleConsentMode.${type}`, idList, cats)
      }
    },
    lang: expect((v) => isStr(v) && LANG_TAG.test(v), 'a language tag like "fr-BE"'),
    texts: (v, path) => {
      if (!isPlain(v)) return 'an object { bannerTitle: … } or { en: { … } }'
      for (const [k, s] of Object.entries(v)) {
        if (isPlain(s)) checks.texts(s, `${path}.${k}`)
        else if (!isStr(s)) bad(`${path}.${k}`, 'a string', s)
      }
    },
    settingsButton: expect(isBool, BOOL),
    uiUrl: expect(isUrl, URL_OR_PATH),
    nonce: expect(isStr, 'a string'),
  }
  for (const [key, value] of Object.entries(c)) {
    if (!(key in checks)) bad(key, oneOf(Object.keys(checks)), key)
    else if (value !== undefined) {
      const what = checks[key](value, key)
      if (what) bad(key, what, value)
    }
  }
  const ok = (key: string) => c[key] !== undefined && !problems.some((p) => /^\w+/.exec(p)?.[0] === key)
  const pick = <T>(key: string, fallback: T): T => (ok(key) ? (c[key] as T) : fallback)
  const texts = pick<Plain>('texts', {})
  const textLangs = Object.keys(texts).filter((k) => LANG_TAG.test(k) && isPlain(texts[k]) && !BUILT_IN_LANGS.includes(k))
  const gcm = pick<boolean | Record<string, string | string[]>>('googleConsentMode', false)
  const config: ResolvedConfig = {
    categories,
    policyVersion: pick('policyVersion', '1'),
    policyUrl: pick('policyUrl', null),
    endpoint: pick('endpoint', null),
    endpointHeaders: pick('endpointHeaders', {}),
    endpointCredentials: pick('endpointCredentials', 'omit'),
    rules: ok('rules') ? (c.rules as Rule[]).filter((r) => isId(r?.category) && (r.match instanceof RegExp || isStr(r.match))) : [],
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
    valid: !problems.length,
  }
  return { config, problems }
}

/**
 * Formats config problems as the single console error the SDK prints.
 * @param problems from `resolveConfig`
 */
export function configErrorMessage(problems: readonly string[]): string {
  return `${LOG_PREFIX} invalid config, optional categories stay blocked:\n- ${problems.join('\n- ')}`
}
