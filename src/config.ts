import { fromBase64url } from './crypto'
import type { Category, ConsentConfig, GoogleConsentType, ResolvedConfig, Rule, Text } from './types'

export const CATEGORY_NECESSARY = 'necessary'
export const DEFAULT_CATEGORIES = [CATEGORY_NECESSARY, 'analytics', 'marketing', 'partners']
export const BUILT_IN_LANGS = ['en', 'fr', 'nl', 'de']
export const LOG_PREFIX = '[minopio-consent]'

const GCM_TYPES: GoogleConsentType[] = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage']
const GCM_DEFAULT: Record<GoogleConsentType, string[]> = {
  ad_storage: ['marketing'], ad_user_data: ['marketing'], ad_personalization: ['marketing'], analytics_storage: ['analytics'],
}
const KNOWN_KEYS = [
  'categories', 'policyVersion', 'policyUrl', 'endpoint', 'endpointHeaders', 'endpointCredentials', 'rules',
  'cookieName', 'cookieDomain', 'cookieMaxAgeDays', 'encryptionKey', 'clearOnRevoke', 'reloadOnRevoke', 'honorGPC',
  'googleConsentMode', 'lang', 'texts', 'settingsButton', 'uiUrl', 'nonce',
]
const CATEGORY_KEYS = ['id', 'required', 'label', 'description', 'services', 'cookies']
const CATEGORY_ID = /^[a-z][a-z0-9_-]{0,31}$/
const LANG_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i
// RFC 6265 §4.1.1: cookie-name is an RFC 2616 token.
const COOKIE_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Chromium and RFC 6265bis cap cookie lifetime at 400 days.
const MAX_AGE_DAYS = 400

type Plain = Record<string, unknown>
const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp)
const isText = (v: unknown): v is Text =>
  typeof v === 'string' || (isPlain(v) && Object.entries(v).every(([k, s]) => LANG_TAG.test(k) && typeof s === 'string'))
const show = (v: unknown) => (v instanceof RegExp ? String(v) : JSON.stringify(v) ?? String(v))

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
    if (!tag) continue
    const lower = tag.toLowerCase()
    const hit = available.find((a) => a.toLowerCase() === lower) ?? available.find((a) => a === lower.split('-')[0])
    if (hit) return hit
  }
  return 'en'
}

function validateCategories(raw: unknown, problems: string[]): Category[] {
  if (raw === undefined) raw = DEFAULT_CATEGORIES
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`categories must be a non-empty array of ids or { id, … } objects, got ${show(raw)}`)
    return DEFAULT_CATEGORIES.map((id) => ({ id, required: id === CATEGORY_NECESSARY, services: [], cookies: [] }))
  }
  const out: Category[] = []
  raw.forEach((item, i) => {
    const at = `categories[${i}]`
    const obj: Plain = typeof item === 'string' ? { id: item } : isPlain(item) ? item : {}
    const id = obj.id
    if (typeof id !== 'string' || !CATEGORY_ID.test(id)) {
      problems.push(`${at}.id must be a lowercase id like "marketing" (letters, digits, _ or -), got ${show(id ?? item)}`)
      return
    }
    if (out.some((c) => c.id === id)) return problems.push(`${at}: duplicate category id "${id}"`)
    for (const key of Object.keys(obj)) if (!CATEGORY_KEYS.includes(key)) problems.push(`${at}.${key} is not a category key (use: ${CATEGORY_KEYS.join(', ')})`)
    if (obj.required !== undefined && typeof obj.required !== 'boolean') problems.push(`${at}.required must be true or false`)
    for (const key of ['label', 'description'] as const) {
      if (obj[key] !== undefined && !isText(obj[key])) problems.push(`${at}.${key} must be a string or { en: '…', fr: '…' }`)
    }
    const services = obj.services ?? []
    if (!Array.isArray(services) || !services.every((s) => isPlain(s) && typeof s.name === 'string')) {
      problems.push(`${at}.services must be an array of { name, description?, cookies?, policyUrl? }`)
    }
    const cookies = obj.cookies ?? []
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) problems.push(`${at}.cookies must be an array of cookie names`)
    out.push({
      id,
      required: id === CATEGORY_NECESSARY || obj.required === true,
      label: obj.label as Text | undefined,
      description: obj.description as Text | undefined,
      services: Array.isArray(services) ? services : [],
      cookies: Array.isArray(cookies) ? cookies : [],
    } as Category)
  })
  // `necessary` is always there and always on, even when a site lists only its optional categories.
  if (!out.some((c) => c.id === CATEGORY_NECESSARY)) out.unshift({ id: CATEGORY_NECESSARY, required: true, services: [], cookies: [] })
  return out
}

function validateRules(raw: unknown, ids: string[], problems: string[]): Rule[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    problems.push('rules must be an array of { match, category }')
    return []
  }
  const rules: Rule[] = []
  raw.forEach((rule, i) => {
    const at = `rules[${i}]`
    if (!isPlain(rule)) return problems.push(`${at} must be { match, category }, got ${show(rule)}`)
    const { match, category } = rule
    if (!(match instanceof RegExp) && (typeof match !== 'string' || !match.trim() || /\s/.test(match))) {
      return problems.push(`${at}.match must be a host ("ads.example"), a host + path prefix ("cdn.example/pixel") or a RegExp, got ${show(match)}`)
    }
    if (typeof category !== 'string' || !ids.includes(category)) {
      return problems.push(`${at}.category ${show(category)} is not a configured category (have: ${ids.join(', ')})`)
    }
    rules.push({ match, category })
  })
  return rules
}

function validateUrl(key: string, raw: unknown, problems: string[]): string | null {
  if (raw === undefined || raw === null) return null
  if (typeof raw !== 'string' || !raw) {
    problems.push(`${key} must be a URL string, got ${show(raw)}`)
    return null
  }
  try {
    const url = new URL(raw, location.href)
    if (url.protocol === 'https:' || url.protocol === 'http:') return raw
  } catch {
    // reported below
  }
  problems.push(`${key} must be an http(s) URL or a path like "/api/consent", got ${show(raw)}`)
  return null
}

function validateTexts(raw: unknown, problems: string[]): Plain {
  if (raw === undefined) return {}
  const walk = (v: unknown, path: string, depth: number): boolean => {
    if (typeof v === 'string') return true
    if (!isPlain(v) || depth > 4) {
      problems.push(`${path} must be a string (texts are shown as plain text), got ${show(v)}`)
      return false
    }
    return Object.entries(v).every(([k, s]) => walk(s, `${path}.${k}`, depth + 1))
  }
  if (!isPlain(raw)) {
    problems.push('texts must be an object: { bannerTitle: … } or { en: { bannerTitle: … }, fr: { … } }')
    return {}
  }
  return walk(raw, 'texts', 0) ? raw : {}
}

function validateGcm(raw: unknown, ids: string[], problems: string[]): ResolvedConfig['googleConsentMode'] {
  if (raw === undefined || raw === false) return null
  if (raw === true) raw = GCM_DEFAULT
  if (!isPlain(raw)) {
    problems.push('googleConsentMode must be true, false or { ad_storage: "marketing", analytics_storage: "analytics", … }')
    return null
  }
  const map = {} as Record<GoogleConsentType, string[]>
  for (const type of GCM_TYPES) map[type] = GCM_DEFAULT[type]
  for (const [type, cats] of Object.entries(raw)) {
    const list = typeof cats === 'string' ? [cats] : cats
    if (!GCM_TYPES.includes(type as GoogleConsentType)) {
      problems.push(`googleConsentMode.${type} is not a consent type (use: ${GCM_TYPES.join(', ')})`)
    } else if (!Array.isArray(list) || !list.every((c) => typeof c === 'string' && ids.includes(c))) {
      problems.push(`googleConsentMode.${type} must name configured categories (have: ${ids.join(', ')}), got ${show(cats)}`)
    } else {
      map[type as GoogleConsentType] = list
    }
  }
  return map
}

/**
 * Reads, validates and completes the config. Never throws: problems are returned, and a config with
 * problems comes back with `valid: false` so the SDK fails closed.
 * @param input the config object and the script tag's dataset
 * @example
 * const { config, problems } = resolveConfig({ config: window.minopioConsentConfig })
 */
export function resolveConfig(input: ConfigInput = {}): ConfigResult {
  const problems: string[] = []
  const given = input.config ?? {}
  const data = input.dataset ?? {}
  if (!isPlain(given)) problems.push(`config must be an object, got ${show(given)}`)
  const c: Plain & ConsentConfig = isPlain(given) ? given : {}
  for (const key of Object.keys(c)) if (!KNOWN_KEYS.includes(key)) problems.push(`${key} is not a config key (known: ${KNOWN_KEYS.join(', ')})`)

  const categories = validateCategories(c.categories, problems)
  const ids = categories.map((cat) => cat.id)

  const policyVersion = c.policyVersion ?? data.policyVersion ?? '1'
  if (typeof policyVersion !== 'string' || !policyVersion) problems.push(`policyVersion must be a non-empty string like "2024-05", got ${show(policyVersion)}`)

  const endpoint = validateUrl('endpoint', c.endpoint ?? data.endpoint, problems)
  const policyUrl = validateUrl('policyUrl', c.policyUrl, problems)
  const uiUrl = validateUrl('uiUrl', c.uiUrl, problems)

  const headers = c.endpointHeaders ?? {}
  if (!isPlain(headers) || !Object.values(headers).every((v) => typeof v === 'string')) problems.push('endpointHeaders must be an object of header name → string value')
  const credentials = c.endpointCredentials ?? 'omit'
  if (!['omit', 'same-origin', 'include'].includes(credentials)) problems.push(`endpointCredentials must be "omit", "same-origin" or "include", got ${show(credentials)}`)

  const cookieName = c.cookieName ?? 'minopio_consent'
  if (typeof cookieName !== 'string' || !COOKIE_TOKEN.test(cookieName)) problems.push(`cookieName must be a cookie token (letters, digits, ! # $ % & ' * + - . ^ _ \` | ~), got ${show(cookieName)}`)
  const cookieDomain = c.cookieDomain ?? null
  if (cookieDomain !== null) {
    const host = location.hostname
    const bare = typeof cookieDomain === 'string' ? cookieDomain.replace(/^\./, '') : ''
    if (!bare || (host !== bare && !host.endsWith('.' + bare))) problems.push(`cookieDomain ${show(cookieDomain)} must be this host or a parent of it (${host})`)
  }
  const maxAge = c.cookieMaxAgeDays ?? 182
  if (typeof maxAge !== 'number' || !(maxAge > 0) || maxAge > MAX_AGE_DAYS) problems.push(`cookieMaxAgeDays must be a number of days from 1 to ${MAX_AGE_DAYS}, got ${show(maxAge)}`)

  const key = c.encryptionKey ?? null
  if (key !== null && (typeof key !== 'string' || fromBase64url(key)?.length !== 32)) problems.push('encryptionKey must be a 256-bit key in base64url (43 characters, no padding)')

  const clearOnRevoke = c.clearOnRevoke ?? {}
  if (!isPlain(clearOnRevoke)) problems.push('clearOnRevoke must be { category: [cookie name or RegExp, …] }')
  else for (const [cat, list] of Object.entries(clearOnRevoke)) {
    if (!ids.includes(cat)) problems.push(`clearOnRevoke.${cat} is not a configured category (have: ${ids.join(', ')})`)
    else if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' || p instanceof RegExp)) problems.push(`clearOnRevoke.${cat} must be an array of cookie names or RegExps`)
  }

  const reloadOnRevoke = c.reloadOnRevoke ?? 'auto'
  if (reloadOnRevoke !== 'auto' && typeof reloadOnRevoke !== 'boolean') problems.push(`reloadOnRevoke must be "auto", true or false, got ${show(reloadOnRevoke)}`)
  for (const flag of ['honorGPC', 'settingsButton'] as const) {
    if (c[flag] !== undefined && typeof c[flag] !== 'boolean') problems.push(`${flag} must be true or false, got ${show(c[flag])}`)
  }
  const googleConsentMode = validateGcm(c.googleConsentMode, ids, problems)
  const texts = validateTexts(c.texts, problems)
  const lang = c.lang ?? data.lang
  if (lang !== undefined && (typeof lang !== 'string' || !LANG_TAG.test(lang))) problems.push(`lang must be a language tag like "fr" or "fr-BE", got ${show(lang)}`)
  const nonce = c.nonce ?? null
  if (nonce !== null && typeof nonce !== 'string') problems.push('nonce must be a string')

  const textLangs = Object.keys(texts).filter((k) => LANG_TAG.test(k) && isPlain(texts[k]))
  const available = [...BUILT_IN_LANGS, ...textLangs.filter((l) => !BUILT_IN_LANGS.includes(l))]
  const nav = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]
  const htmlLang = typeof document === 'undefined' ? null : document.documentElement.lang

  const config: ResolvedConfig = {
    categories,
    policyVersion: typeof policyVersion === 'string' && policyVersion ? policyVersion : '1',
    policyUrl, endpoint, uiUrl,
    endpointHeaders: isPlain(headers) ? (headers as Record<string, string>) : {},
    endpointCredentials: credentials,
    rules: validateRules(c.rules, ids, problems),
    cookieName: typeof cookieName === 'string' && COOKIE_TOKEN.test(cookieName) ? cookieName : 'minopio_consent',
    cookieDomain: typeof cookieDomain === 'string' ? cookieDomain : null,
    cookieMaxAgeDays: typeof maxAge === 'number' && maxAge > 0 && maxAge <= MAX_AGE_DAYS ? maxAge : 182,
    encryptionKey: typeof key === 'string' ? key : null,
    clearOnRevoke: isPlain(clearOnRevoke) ? clearOnRevoke : {},
    reloadOnRevoke: reloadOnRevoke === 'auto' || typeof reloadOnRevoke === 'boolean' ? reloadOnRevoke : 'auto',
    honorGPC: c.honorGPC !== false,
    googleConsentMode,
    lang: resolveLanguage([typeof lang === 'string' ? lang : null, htmlLang, ...nav], available),
    texts,
    settingsButton: c.settingsButton !== false,
    nonce: typeof nonce === 'string' ? nonce : null,
    valid: problems.length === 0,
  }
  return { config, problems }
}

/**
 * Formats config problems as the single console error the SDK prints.
 * @param problems from `resolveConfig`
 */
export function configErrorMessage(problems: readonly string[]): string {
  return `${LOG_PREFIX} invalid config, so every optional category stays blocked until it is fixed:\n- ${problems.join('\n- ')}`
}
