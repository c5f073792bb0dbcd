// Diagnostics, loaded only when the head script's guard (`readConfig` in config.ts) finds a config invalid — the
// preact/debug model: the same checks, each problem named by its config path with what was expected. Also the ESM
// export `resolveConfig`. In dev mode (localhost, 127.0.0.1, `debug: true`) it also shows the page's developer a notice.
import {
  BUILT_IN_LANGS, CATEGORY_KEYS, CATEGORY_NECESSARY, COOKIE_TOKEN, CREDENTIALS, DEFAULT_CATEGORIES, GCM_DEFAULT, LANG_TAG,
  LOG_PREFIX, MAX_AGE_DAYS, SERVICE_CHECKS, completeConfig, isBool, isDomain, isKey, isList, isMatch, isPattern, isPlain, isStr, isText,
  isUrl, mergeInput, toCategory,
} from './config'
import { STRICT_REGEXP } from './csp'
import type { ConfigInput, Plain } from './config'
import { LOG_MAX_POLICY_VERSION } from './log-limits'
import { showDevNotice } from './dev-notice'
import { didYouMean } from './did-you-mean'
import type { Category, ResolvedConfig } from './types'

/**
 * The keys of `texts` (and of each `texts.<lang>`) the UI reads: ui/i18n/en.ts, the reference set, kept here because
 * core never imports the UI (test/config-diagnostics.test.ts checks the two agree).
 */
export const TEXT_KEYS = [
  'bannerTitle', 'bannerText', 'policyLink', 'acceptAll', 'rejectAll', 'customize', 'save', 'close', 'preferencesTitle',
  'preferencesText', 'settingsButton', 'policyChanged', 'gpcNotice', 'alwaysOn', 'services', 'cookieList',
  'placeholderText', 'allowCategory', 'loadOnce', 'serviceToggle', 'serviceProvider', 'servicePrivacy', 'cookieTable',
  'cookieName', 'cookieLifetime', 'cookiePurpose', 'placeholderNamed', 'placeholderService', 'saved', 'auditTitle',
  'auditTags', 'auditRequests', 'auditNone', 'auditCategory', 'auditUrl', 'auditVia', 'auditState', 'auditTime',
  'auditOnce', 'auditService', 'auditKind', 'auditSuggest', 'auditCopy', 'auditStates', 'auditVias', 'auditKinds',
  'exportCsv', 'categories',
]
const CATEGORY_TEXT_KEYS = ['label', 'description']

type Check = (value: any, path: string) => string | void
const show = (v: unknown) => (v instanceof RegExp ? String(v) : JSON.stringify(v) ?? String(v))

/** A check from a predicate and what it expects, e.g. `expect(isBool, 'true or false')`. */
const expect = (ok: (v: any) => unknown, what: string): Check => (v) => (ok(v) ? undefined : what)
const oneOf = (list: readonly string[]) => `one of ${list.join(', ')}`
const BOOL = 'true or false'
const TEXT = "a string or { en: '…', fr: '…' }"
const URL_OR_PATH = 'an http(s) URL or a path'
const CATEGORY_CHECKS: Record<string, Check> = {
  required: expect(isBool, BOOL),
  label: expect(isText, TEXT),
  description: expect(isText, TEXT),
  services: expect((s) => isList(s, (x) => isPlain(x) && x.name !== undefined), 'an array of { name, … }'),
  cookies: expect((s) => isList(s, isStr), 'an array of cookie names'),
}
const SERVICE_WANTS: Record<string, string> = {
  id: 'a lowercase id like "kiln-films"',
  name: TEXT,
  provider: 'a string',
  description: TEXT,
  privacyUrl: URL_OR_PATH,
  policyUrl: URL_OR_PATH,
  cookies: 'an array of cookie names, RegExps or { name, lifetime?, purpose? }',
  match: 'an array of hosts, host/path prefixes or RegExps',
}

/** The outcome of `resolveConfig`: always a usable config, plus the problems found (empty when valid). */
export interface ConfigResult {
  config: ResolvedConfig
  problems: string[]
  /** What is ignored but probably a mistake: unknown `texts` keys, a `lang` with no texts. Never makes it invalid. */
  warnings: string[]
}

const suggest = (word: string, candidates: readonly string[]) => {
  const hit = didYouMean(word, candidates)
  return hit ? ` (did you mean "${hit}"?)` : ''
}


/**
 * Reads, validates and completes the config, naming every problem. Never throws: a config with problems comes back
 * with `valid: false` so the SDK fails closed. Agrees with `readConfig` on validity and on the config.
 * @param input the config object and the script tag's dataset
 * @example
 * const { config, problems } = resolveConfig({ config: window.minopioConsentConfig })
 */
export function resolveConfig(input: ConfigInput = {}): ConfigResult {
  const problems: string[] = []
  const bad = (path: string, what: string, got: unknown) => void problems.push(`${path}: expected ${what}, got ${show(got)}`)
  // An unknown key: the key a typo most likely meant when one is close, else every allowed key.
  const unknown = (path: string, key: string, allowed: readonly string[]) => {
    const hit = didYouMean(key, allowed)
    if (hit) problems.push(`${path}: unknown key, did you mean "${hit}"?`)
    else bad(path, oneOf(allowed), key)
  }
  const given = input.config ?? {}
  if (!isPlain(given)) bad('config', 'an object', given)
  const c = mergeInput(input)

  const raw = c.categories ?? DEFAULT_CATEGORIES
  const categories: Category[] = []
  if (!isList(raw, () => true) || !(raw as unknown[]).length) bad('categories', 'a non-empty array of ids or { id, … }', raw)
  else (raw as unknown[]).forEach((item, i) => {
    const at = `categories[${i}]`
    const o: Plain = isStr(item) ? { id: item } : isPlain(item) ? item : {}
    const r = toCategory(item)
    if (!r) return bad(`${at}.id`, 'a lowercase id like "marketing"', o.id ?? item)
    const id = r._category.id
    if (categories.some((x) => x.id === id)) return bad(at, `a unique id ("${id}" is used twice)`, item)
    for (const key of Object.keys(o)) if (!CATEGORY_KEYS.includes(key)) unknown(`${at}.${key}`, key, CATEGORY_KEYS)
    for (const [key, check] of Object.entries(CATEGORY_CHECKS)) {
      const problem = o[key] === undefined ? undefined : check(o[key], key)
      if (problem) bad(`${at}.${key}`, problem, o[key])
    }
    if (isList(o.services, isPlain)) (o.services as Plain[]).forEach((service, j) => {
      for (const [key, value] of Object.entries(service)) {
        if (!(key in SERVICE_CHECKS)) bad(`${at}.services[${j}].${key}`, oneOf(Object.keys(SERVICE_CHECKS)), key)
        else if (value !== undefined && !SERVICE_CHECKS[key](value)) bad(`${at}.services[${j}].${key}`, SERVICE_WANTS[key], value)
      }
    })
    categories.push(r._category)
  })
  // Service ids share one namespace with category ids (`data-consent`, `set()`, `has()` take both).
  const taken = new Set(categories.map((x) => x.id))
  categories.forEach((x) => x.services.forEach((s, j) => {
    if (!isStr(s.id)) return
    const at = `categories[${(raw as unknown[]).findIndex((item) => item === x.id || (isPlain(item) && item.id === x.id))}].services[${j}].id`
    if (taken.has(s.id)) bad(at, `a unique id ("${s.id}" is already a category or service id)`, s.id)
    taken.add(s.id)
  }))
  // `necessary` is always there and always on, even when a site lists only its optional categories.
  if (!categories.some((x) => x.id === CATEGORY_NECESSARY)) categories.unshift({ id: CATEGORY_NECESSARY, required: true, services: [], cookies: [] })
  const ids = categories.map((x) => x.id)
  const isId = (v: unknown) => isStr(v) && ids.includes(v)
  const idList = `a configured category (have: ${ids.join(', ')})`
  const badId = (path: string, got: unknown) => bad(path, idList + (isStr(got) ? suggest(got, ids) : ''), got)

  const host = location.hostname
  const checks: Record<string, Check> = {
    categories: () => undefined,
    policyVersion: (v) => !isStr(v) || !v ? 'a non-empty string like "2024-05"'
      : v.length > LOG_MAX_POLICY_VERSION ? `at most ${LOG_MAX_POLICY_VERSION} characters (the consent log refuses longer ones)` : undefined,
    policyUrl: expect(isUrl, URL_OR_PATH),
    endpoint: expect(isUrl, URL_OR_PATH),
    endpointHeaders: expect((v) => isPlain(v) && Object.values(v).every(isStr), '{ header: string }'),
    endpointCredentials: expect((v) => CREDENTIALS.includes(v), '"omit", "same-origin" or "include"'),
    rules: (v) => {
      if (!Array.isArray(v)) return 'an array of { match, category } or { match, service }'
      v.forEach((rule, i) => {
        if (!isMatch(rule?.match)) bad(`rules[${i}].match`, 'a host, host/path prefix or RegExp', rule?.match)
        else if (rule.service !== undefined) {
          if (!isStr(rule.service) || rule.category !== undefined) bad(`rules[${i}].service`, 'a service id, without a category', rule.service)
        } else if (!isId(rule.category)) badId(`rules[${i}].category`, rule.category)
        if (c.strict === true && rule?.match instanceof RegExp) bad(`rules[${i}].match`, STRICT_REGEXP, rule.match)
      })
    },
    cookieName: expect((v) => isStr(v) && COOKIE_TOKEN.test(v), 'a cookie token (RFC 6265)'),
    cookieDomain: expect((v) => isDomain(v, host), `this host or a parent of it (${host})`),
    cookieMaxAgeDays: expect((v) => v > 0 && v <= MAX_AGE_DAYS, `a number of days from 1 to ${MAX_AGE_DAYS}`),
    encryptionKey: expect(isKey, 'a 256-bit key in base64url (43 chars)'),
    clearOnRevoke: (v) => {
      if (!isPlain(v)) return '{ category: [cookie name or RegExp, …] }'
      for (const [cat, list] of Object.entries(v)) {
        if (!isId(cat)) badId(`clearOnRevoke.${cat}`, cat)
        else if (!isList(list, isPattern)) bad(`clearOnRevoke.${cat}`, 'an array of cookie names or RegExps', list)
      }
    },
    reloadOnRevoke: expect((v) => v === 'auto' || isBool(v), '"auto", ' + BOOL),
    honorGPC: expect(isBool, BOOL),
    googleConsentMode: (v) => {
      if (isBool(v)) return
      if (!isPlain(v)) return 'true, false or { ad_storage: "marketing", … }'
      for (const [type, cats] of Object.entries(v)) {
        if (!(type in GCM_DEFAULT)) bad(`googleConsentMode.${type}`, oneOf(Object.keys(GCM_DEFAULT)), type)
        else if (!isId(cats) && !isList(cats, isId)) {
          const wrong = [cats].flat().find((x) => !isId(x))
          bad(`googleConsentMode.${type}`, idList + (isStr(wrong) ? suggest(wrong, ids) : ''), cats)
        }
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
    strict: (v) => {
      if (!isBool(v)) return BOOL
      const regexp = v && categories.flatMap((x) => x.services.filter((s) => s.match?.some((m) => m instanceof RegExp)).map((s) => `${x.id}/${s.id ?? s.name}`))
      if (regexp && regexp.length) return `no RegExp in a service's match (${regexp.join(', ')}): ${STRICT_REGEXP}`
    },
    debug: expect(isBool, BOOL),
  }
  for (const [key, value] of Object.entries(c)) {
    if (!(key in checks)) unknown(key, key, Object.keys(checks))
    else if (value !== undefined) {
      const what = checks[key](value, key)
      if (what) bad(key, what, value)
    }
  }
  // Problems are keyed by config path: a top-level key is usable when no problem lies under it.
  const ok = (key: string) => c[key] !== undefined && !problems.some((p) => /^\w+/.exec(p)?.[0] === key)
  const config = completeConfig(c, categories, ok, !problems.length)
  return { config, problems, warnings: ok('texts') || ok('lang') ? configWarnings(c, ids) : [] }
}

/** Unknown `texts` keys and a `lang` no texts exist for: ignored by the SDK, so only warned about. */
function configWarnings(c: Plain, ids: readonly string[]): string[] {
  const warnings: string[] = []
  const texts = isPlain(c.texts) ? c.texts : {}
  const langs = Object.keys(texts).filter((k) => LANG_TAG.test(k) && isPlain(texts[k]))
  const checkTexts = (block: Plain, path: string) => {
    for (const [key, value] of Object.entries(block)) {
      if (!TEXT_KEYS.includes(key)) warnings.push(`${path}.${key}: not a text key, ignored${suggest(key, TEXT_KEYS)}`)
      else if (key === 'categories' && isPlain(value)) {
        for (const [id, t] of Object.entries(value)) {
          if (!ids.includes(id)) warnings.push(`${path}.categories.${id}: not a configured category, ignored${suggest(id, ids)}`)
          else if (isPlain(t)) {
            for (const k of Object.keys(t)) {
              if (!CATEGORY_TEXT_KEYS.includes(k)) warnings.push(`${path}.categories.${id}.${k}: not a text key, ignored (expected label or description)`)
            }
          }
        }
      }
    }
  }
  const flat: Plain = {}
  for (const [k, v] of Object.entries(texts)) if (!langs.includes(k)) flat[k] = v
  checkTexts(flat, 'texts')
  for (const lang of langs) checkTexts(texts[lang] as Plain, `texts.${lang}`)
  const lang = isStr(c.lang) ? c.lang.toLowerCase() : ''
  // As resolveLanguage matches: the exact tag or its primary subtag (`fr-BE` → `fr`).
  if (LANG_TAG.test(lang) && ![...BUILT_IN_LANGS, ...langs].some((a) => a.toLowerCase() === lang || a === lang.split('-')[0])) {
    warnings.push(`lang: "${c.lang}" has no texts (built in: ${BUILT_IN_LANGS.join(', ')}; add texts.${lang} for it), ` +
      'so the UI falls back to <html lang>, the browser\'s languages, then English')
  }
  return warnings
}

/**
 * Dev mode: the page is served from the developer's machine (`localhost`, `127.0.0.1`) or the config says `debug: true`.
 * Decided here, not in the head script, which pays for every byte on every page view.
 */
export const isDevMode = (input: ConfigInput) =>
  (isPlain(input.config) && input.config.debug === true) || /^(localhost|127\.0\.0\.1)$/.test(location.hostname)

/**
 * What the SDK runs when the diagnostics load: the console error for an invalid config (as in production) and, in dev
 * mode, the warnings in the console and the in-page notice listing everything.
 * @param input the config object and the script tag's dataset
 * @param dev whether to help the developer too (default: `isDevMode`)
 */
export function diagnose(input: ConfigInput, dev = isDevMode(input)): ConfigResult {
  const result = resolveConfig(input)
  const { problems, warnings } = result
  if (problems.length) console.error(configErrorMessage(problems))
  if (!dev) return result
  for (const warning of warnings) console.warn(`${LOG_PREFIX} ${warning}`)
  if (problems.length || warnings.length) showDevNotice(problems, warnings)
  return result
}

/**
 * Formats config problems as the single console error the SDK prints.
 * @param problems from `resolveConfig`
 */
export function configErrorMessage(problems: readonly string[]): string {
  return `${LOG_PREFIX} invalid config, optional categories stay blocked:\n- ${problems.join('\n- ')}`
}
