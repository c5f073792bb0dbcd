// The shape of a scan: what `minopio-scan --json` prints (schema 1). Additive changes only; a breaking one bumps
// `schema`. Types only — this module exports nothing at run time.

/**
 * @typedef {'none' | 'reject' | 'accept'} VisitName
 *   `none`: no decision taken; `reject`: "Reject all" clicked in the banner; `accept`: "Accept all" clicked.
 * @typedef {'load' | 'decided' | 'reload'} Phase
 *   `load`: before any decision; `decided`: after the click, same page view; `reload`: after reloading with the
 *   stored decision (a returning visitor).
 */

/**
 * @typedef {object} ScanOptions
 * @property {string[]} allow hosts whose requests and cookies are necessary (never violations)
 * @property {string[]} allowCookies cookie names that are necessary
 * @property {number} timeout ms for a navigation, the SDK's `ready` and the banner button
 * @property {number} wait ms to wait after each load and click so tags settle
 * @property {number} crawl same-origin pages to follow from each URL given (0: only the URL)
 */

/**
 * @typedef {object} Initiator what made a request (Chrome DevTools Protocol `Network.Initiator`), never the consent SDK
 * @property {string} type `parser`, `script`, `preload`, `other`…, or `released`: the gate inserting a tag it released
 *   (the request is the tag itself)
 * @property {string | null} url the document or script that made it: the first frame of the call stack outside the SDK
 */

/**
 * @typedef {object} RequestRecord one third-party request
 * @property {string} url
 * @property {string} host `hostname[:port]`
 * @property {string} path pathname (no query: it may carry personal data)
 * @property {string} method
 * @property {string} type resource type: `script`, `image`, `xhr`, `fetch`, `ping`, `document`…
 * @property {Initiator | null} initiator
 * @property {Phase} phase
 * @property {boolean} allowed on the `--allow` list
 * @property {boolean} sdk the consent SDK itself or its consent log endpoint (necessary)
 * @property {string | null} rule the category of the page's first rule that covers the full URL (the gate's matcher)
 */

/**
 * @typedef {object} CookieRecord one cookie present in the browser during a visit
 * @property {string} name
 * @property {string} domain
 * @property {boolean} thirdParty set by a third-party response, or on another party's domain
 * @property {string} setBy host of the response whose `Set-Cookie` set it, or `script` (document.cookie)
 * @property {Phase} phase when it first appeared
 * @property {boolean} beforeConsent whether it appeared before the visitor consented (see `beforeConsent` in classify.mjs)
 * @property {number | null} expires unix seconds; `null` for a session cookie
 * @property {string} lifetime in words: `session`, `1 year`, `30 days`…
 * @property {boolean} allowed necessary: the consent cookie, or on the `--allow` / `--allow-cookie` lists
 */

/**
 * @typedef {object} AuditTag one entry of `MinopioConsent.audit()` (README, "API"), without `element`
 * @property {number} id
 * @property {string} kind
 * @property {string | null} url
 * @property {string | null} hash
 * @property {string | null} snippet
 * @property {string} category
 * @property {string[]} categories
 * @property {string[]} [services] the service ids it is gated by
 * @property {'markup' | 'rule'} via
 * @property {'blocked' | 'released' | 'loaded' | 'error'} state
 * @property {boolean} [once] released for one page view only ("Load once")
 */

/**
 * @typedef {object} VisitReport
 * @property {VisitName} visit
 * @property {string | null} error why the visit could not be completed
 * @property {number | null} status HTTP status of the page
 * @property {'banner' | 'api' | null} decidedBy how the decision was taken (`api`: the banner button was missing)
 * @property {boolean} reloaded whether the page was reloaded with the stored decision
 * @property {number} firstPartyRequests how many first-party requests were made (not listed)
 * @property {RequestRecord[]} requests every third-party request
 * @property {CookieRecord[]} cookies
 * @property {AuditTag[] | null} audit the gate's report at the end of the visit; `null` without the SDK
 */

/**
 * @typedef {object} SdkInfo
 * @property {string} version
 * @property {string} policyVersion
 * @property {string} cookieName
 * @property {{ id: string, required: boolean, services?: { id: string, name: string, provider: string | null }[] }[]} categories
 * @property {({ match: string, category: string } | { match: string, service: string })[]} rules the page's `config.rules`, a RegExp written as `/source/flags`
 */

/**
 * @typedef {object} TagRow a gated tag across the three visits
 * @property {string} kind
 * @property {string | null} url
 * @property {string | null} snippet inline scripts
 * @property {string} category
 * @property {string | null} service the services it is gated by, named (`Kiln Films (Kiln Films Ltd)`); `null`: by category only
 * @property {'markup' | 'rule'} via
 * @property {Record<VisitName, string | null>} states its state at the end of each visit (`null`: not seen)
 */

/**
 * @typedef {object} Violation something that happened before consent
 * @property {'request' | 'cookie' | 'tag'} kind
 * @property {string} host the third party (request, tag), or the cookie's domain
 * @property {string} what request path, cookie name, or tag URL / snippet
 * @property {string | null} type resource type (requests), tag kind (tags)
 * @property {Initiator | null} initiator requests: what made the first one
 * @property {string | null} setBy cookies: who set it
 * @property {VisitName[]} visits the visits it happened in before consent
 * @property {boolean} heldByGate requests only: the gate held the tag, but the browser fetched the file anyway
 *   (a parser-inserted `<script src>`); mark it up with `type="text/plain" data-consent` to stop the request
 * @property {string | null} rule requests: the category of the rule that covers it (`null`: no rule does)
 * @property {Fix | null} fix what to do about it
 * @property {boolean} [known] with `--baseline`: whether the baseline already listed it
 */

/**
 * @typedef {object} Fix a suggested fix for a finding
 * @property {string} text what to do, in a sentence
 * @property {string | null} code the markup, rule or config to copy, when there is one
 */

/**
 * @typedef {object} UnderFiring a gated tag that did not run even after "Accept all"
 * @property {string} kind
 * @property {string | null} url
 * @property {string | null} snippet
 * @property {string} category
 * @property {string} state its state after accept (`blocked`, `error`)
 */

/**
 * @typedef {object} PageReport
 * @property {string} url the URL scanned
 * @property {string | null} error why the page could not be scanned (unreachable, not http, …)
 * @property {string[]} problems what went wrong in part (no banner button, no stored consent …): counts as not clean
 * @property {string[]} notes information (no SDK on the page, …)
 * @property {SdkInfo | null} sdk
 * @property {Record<VisitName, VisitReport | null>} visits
 * @property {TagRow[]} tags
 * @property {Violation[]} violations
 * @property {UnderFiring[]} underFiring
 * @property {{ host: string, paths: string[] }[]} afterAccept third-party hosts contacted after "Accept all"
 * @property {string[]} links same-origin links found (for `--crawl`)
 */

/**
 * @typedef {object} ScanReport the whole `--json` output
 * @property {'minopio-scan'} tool
 * @property {1} schema
 * @property {string} scannedAt ISO 8601
 * @property {ScanOptions} options
 * @property {{ pages: number, errors: number, violations: number, underFiring: number, clean: boolean, headline: string,
 *   strictHosts: string[], baseline?: { file: string, known: number, new: number } }} summary
 *   `clean`: every page scanned, no violation, no problem (exit code 0); with `--baseline`, none that the baseline lacks.
 *   `headline`: one sentence per kind of finding, with names, for a manager
 *   `strictHosts`: third-party hosts no rule of the page names, as rule matches: strict mode blocks them
 * @property {PageReport[]} pages
 */

export {}
