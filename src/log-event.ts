// The consent-log wire format, shared by the SDK (src/consent-log.ts) and the collector (collector/src/validate.ts):
// types only, no runtime code and no DOM types, so both packages compile it.

/** What a visitor did. */
export type ConsentAction = 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'forget'
/** Where the decision was made. */
export type ConsentSource = 'banner' | 'preferences' | 'api' | 'gpc'

/** One consent change as posted to the endpoint (README, "Consent log"). A wire format: fields are never renamed. */
export interface ConsentLogEvent {
  eventId: string
  consentId: string
  /** ISO 8601 time of the decision. */
  timestamp: string
  action: ConsentAction
  source: ConsentSource
  categories: Record<string, boolean>
  /** Every service with an id → granted; absent when the config names no service (as in the first release). */
  services?: Record<string, boolean>
  /** The categories before this change; `null` on a first decision. */
  previous: Record<string, boolean> | null
  policyVersion: string
  language: string
  /** Origin and path of the page: never its query or fragment, which may carry personal data. */
  page: string
  gpc: boolean
  sdkVersion: string
  /** SHA-256 hex of the exact texts shown and their language; `null` when no UI was shown. */
  shown: { texts: string; lang: string } | null
  /** ISO 8601 time of this attempt by the visitor's clock, set per attempt (never in the outbox); the collector's receive time is authoritative. */
  sentAt?: string
}
