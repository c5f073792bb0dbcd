/** A text shown to visitors: one string, or one per language (`{ en: '…', fr: '…' }`). */
export type Text = string | Record<string, string>

/** A cookie a service sets: listed in the preferences dialog and deleted on revoke. */
export interface ServiceCookie { name: string | RegExp; lifetime?: Text; purpose?: Text }
/** A service (vendor) under a category; with an `id` it can be granted on its own. */
export interface ServiceConfig {
  /** Service id (`kiln-films`): usable in `data-consent`, rules, `has()`, `set()`. Without an id the service is display-only and follows its category (as before). */
  id?: string
  name: Text
  provider?: string
  description?: Text
  privacyUrl?: string
  /** @deprecated use `privacyUrl` */ policyUrl?: string
  cookies?: Array<string | ServiceCookie>
  /** Hosts / host+path / RegExp (same syntax as `Rule.match`) whose requests and tags belong to this service. */
  match?: Array<string | RegExp>
}

/** A consent category as written in the config. */
export interface CategoryConfig {
  id: string
  /** Always granted and shown locked (`necessary` is always required). */
  required?: boolean
  label?: Text
  description?: Text
  services?: ServiceConfig[]
  cookies?: string[]
}

/** Auto-blocking rule: a URL that matches is held until `category` (or the service `service`) is granted. */
export type Rule = {
  /** A host (`ads.example`), a host + path prefix (`cdn.example/pixel`), or a RegExp tested on the full URL. */
  match: string | RegExp
} & ({ category: string; service?: undefined } | { service: string; category?: undefined })

export type CookiePattern = string | RegExp
export type GoogleConsentType = 'ad_storage' | 'ad_user_data' | 'ad_personalization' | 'analytics_storage'
export type EndpointCredentials = 'omit' | 'same-origin' | 'include'

/** The config object (`window.minopioConsentConfig` or `createConsent(config)`). */
export interface ConsentConfig {
  categories?: Array<string | CategoryConfig>
  policyVersion?: string
  policyUrl?: string
  endpoint?: string
  endpointHeaders?: Record<string, string>
  endpointCredentials?: EndpointCredentials
  rules?: Rule[]
  cookieName?: string
  cookieDomain?: string
  cookieMaxAgeDays?: number
  encryptionKey?: string
  clearOnRevoke?: Record<string, CookiePattern[]>
  reloadOnRevoke?: 'auto' | boolean
  honorGPC?: boolean
  googleConsentMode?: boolean | Partial<Record<GoogleConsentType, string | string[]>>
  lang?: string
  texts?: Record<string, unknown>
  settingsButton?: boolean
  uiUrl?: string
  nonce?: string
  /** Strict mode: the browser enforces the gate through a Content-Security-Policy (README "Strict mode"). */
  strict?: boolean
  /** Loads the config diagnostics on every page view: console warnings and the in-page notice (as on localhost). */
  debug?: boolean
}

/** A category after validation: texts kept as written, `required` resolved. */
export interface Category {
  id: string
  required: boolean
  label?: Text
  description?: Text
  services: ServiceConfig[]
  cookies: string[]
}

/** The validated config with every default applied. */
export interface ResolvedConfig {
  categories: Category[]
  policyVersion: string
  policyUrl: string | null
  endpoint: string | null
  endpointHeaders: Record<string, string>
  endpointCredentials: EndpointCredentials
  rules: Rule[]
  cookieName: string
  cookieDomain: string | null
  cookieMaxAgeDays: number
  encryptionKey: string | null
  clearOnRevoke: Record<string, CookiePattern[]>
  reloadOnRevoke: 'auto' | boolean
  honorGPC: boolean
  /** Google Consent Mode type → categories that must all be granted; `null` when off. */
  googleConsentMode: Record<GoogleConsentType, string[]> | null
  /** Resolved language: a built-in one (en, fr, nl, de) or one the config has texts for. */
  lang: string
  texts: Record<string, unknown>
  settingsButton: boolean
  uiUrl: string | null
  nonce: string | null
  strict: boolean
  /** False when the config had errors: the SDK then fails closed (nothing optional is ever granted). */
  valid: boolean
}

import type { ConsentAction, ConsentSource } from './log-event'

export type { ConsentAction, ConsentSource }
/** Why there is no valid decision. */
export type UndecidedReason = 'loading' | 'none' | 'expired' | 'policy-changed' | 'unreadable' | 'invalid-config'

/** What the visitor was shown when deciding: the effective texts object and its language. */
export interface ShownTexts {
  texts: Record<string, unknown>
  lang: string
}

/** The change that produced a state in this page view: `get().change`. */
export interface ConsentChange {
  action: ConsentAction
  /** Idempotency key of the change: the consent-log event's `eventId`. */
  eventId: string
  /** SHA-256 hex of the texts shown for this decision (`null` when no UI was shown). */
  textsHash: string | null
  /** Language of the texts shown for this decision (`null` when no UI was shown). */
  shownLang: string | null
}

interface ConsentFields {
  categories: Record<string, boolean>
  /** Every service with an `id` → granted? A category grant grants its services unless one is switched off. */
  services: Record<string, boolean>
  policyVersion: string
  /** Global Privacy Control seen (and honoured) in this browser. */
  gpc: boolean
  /** The last change made in this page view; `null` when the state was read from the cookie. */
  change: ConsentChange | null
  /** `change.action`, kept at the top level where the API has always had it; `null` when read from the cookie. */
  action: ConsentAction | null
  /** `change.eventId`, likewise; `null` when read from the cookie. */
  eventId: string | null
  /** SHA-256 hex of the texts shown for this decision: `change.textsHash`, or the stored record's when read from the cookie. */
  textsHash: string | null
  /** `change.shownLang`, likewise; `null` when read from the cookie. */
  shownLang: string | null
}

/** A valid decision: made in this page view or read from the cookie. */
export interface DecidedConsent extends ConsentFields {
  decided: true
  reason: null
  consentId: string
  /** Unix milliseconds of the decision. */
  updatedAt: number
  source: ConsentSource
}

/** No valid decision (yet): `reason` says why. */
export interface UndecidedConsent extends ConsentFields {
  decided: false
  reason: UndecidedReason
  /** Kept from a record that decrypted but no longer counts (expired, policy changed): the next decision reuses it. */
  consentId: string | null
  updatedAt: null
  source: null
}

/**
 * Consent as the page sees it: `MinopioConsent.get()`. Check `decided` first, then the decision's fields are there.
 * @example
 * const s = MinopioConsent.get()
 * if (s.decided) console.log(s.consentId, new Date(s.updatedAt))
 */
export type ConsentState = DecidedConsent | UndecidedConsent

/** Options the UI passes with an action so the log can prove what was shown. */
export interface ActionOptions {
  source?: ConsentSource
  shown?: ShownTexts | null
}

export type View = 'banner' | 'preferences' | 'audit'

export type TagKind = 'script' | 'iframe' | 'img' | 'video' | 'audio' | 'source' | 'object' | 'embed' | 'link' | 'fetch' | 'xhr' | 'beacon'
export type TagState = 'blocked' | 'released' | 'loaded' | 'error'

/** One gated tag or refused request, as `audit()` and the audit panel show it. */
export interface TagReport {
  id: number
  kind: TagKind
  /** Absolute URL of an external tag or request; `null` for inline scripts. */
  url: string | null
  /** Inline scripts: SHA-256-free short hash (FNV-1a hex) and the first characters of the code. */
  hash: string | null
  snippet: string | null
  /** Every category the tag needs (all must be granted), space-separated in `category`. */
  categories: string[]
  category: string
  /** The service ids the tag is gated by; `[]` when gated by categories only. */
  services: string[]
  via: 'markup' | 'rule'
  state: TagState
  /** Unix milliseconds of each state reached. */
  times: { blocked: number; released?: number; loaded?: number; error?: number }
  /** Released for this page view only ("Load once"), without stored consent. */
  once?: boolean
  /** The element (absent for requests); the UI places contextual placeholders next to it. */
  element?: Element
}

export type ConsentEventType = 'change' | 'ready' | 'show' | 'hide'
