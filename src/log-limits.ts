// Field limits of a consent-log event (README, "Consent log"), shared by the SDK that sends events and the collector that
// receives them. Plain constants, no imports and no runtime dependency: both bundles may import this file.

/** Largest request body the collector reads, in bytes (an event is ~600 bytes; room for many categories). */
export const LOG_MAX_BODY_BYTES = 16 * 1024
/** Most categories (and so keys of `categories` / `previous`) an event may carry. */
export const LOG_MAX_CATEGORIES = 64
/** A category id: lowercase letter first, then up to 31 of `a-z 0-9 _ -`. */
export const LOG_CATEGORY_ID = /^[a-z][a-z0-9_-]{0,31}$/
/** Longest `policyVersion`. */
export const LOG_MAX_POLICY_VERSION = 64
/** Longest `language` / `shown.lang` (BCP 47 tags are at most 35 characters in practice). */
export const LOG_MAX_LANGUAGE = 35
/** Longest `page` URL (origin + path). */
export const LOG_MAX_PAGE = 2048
/** Longest `sdkVersion`. */
export const LOG_MAX_SDK_VERSION = 32
/** An event stays in the SDK's outbox at most this many days; the collector accepts timestamps this old. */
export const LOG_MAX_AGE_DAYS = 30
/** How far in the future a timestamp may be (visitors' clocks run fast), in minutes. */
export const LOG_MAX_CLOCK_SKEW_MINUTES = 10
/** Most events the SDK's outbox keeps; after an outage one visitor may flush this many at once. */
export const LOG_MAX_OUTBOX = 200
