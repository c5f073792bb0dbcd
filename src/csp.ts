// Strict mode's Content-Security-Policy, built from the config alone: no DOM, so the head gate (a <meta>) and the
// server helper (a header) write the same policy for the same grants.
import { ruleParts } from './rule-matcher'
import type { Rule } from './types'

/** What the policy needs of a config: the raw `ConsentConfig` (server) and the resolved one (browser) both fit. */
export interface PolicySource {
  categories?: ReadonlyArray<string | { id: string; required?: boolean; services?: ReadonlyArray<{ id?: string; name?: unknown; match?: ReadonlyArray<string | RegExp> }> }>
  rules?: ReadonlyArray<Rule>
  endpoint?: string | null
  uiUrl?: string | null
}

// default-src covers every fetch directive not listed; these add what may load without a host, plus the two
// navigation-ish directives a meta policy may carry that have no fallback.
const DIRECTIVES: Record<string, string> = {
  'default-src': '',
  // Strict mode decides where code comes from, not what inline code may do: the JS gate still holds inline tags.
  'script-src': " 'unsafe-inline' 'unsafe-eval'",
  'style-src': " 'unsafe-inline'",
  'img-src': ' data: blob:',
  'media-src': ' data: blob:',
  'font-src': ' data:',
  'worker-src': ' blob:',
  'form-action': '',
}

/** What strict mode expects of a rule's `match`: a policy can only name hosts. */
export const STRICT_REGEXP = 'a host or host/path (strict mode writes hosts into a Content-Security-Policy, which cannot express a RegExp)'

const NECESSARY = 'necessary'

/**
 * The CSP source(s) of a rule's `match`: a host and its subdomains on any port (written with a port, that port only);
 * a host + path allows that path and everything under it. `null` for a RegExp, which a policy cannot express.
 * @param match a rule's `match`
 * @example
 * hostSources('ads.example') // ['ads.example:*', '*.ads.example:*']
 */
export function hostSources(match: string | RegExp): string[] | null {
  if (typeof match != 'string') return null
  const [host, path] = ruleParts(match)
  const at = /:\d+$/.test(host) ? host : host + ':*'
  const paths = !path || path == '/' ? [''] : path.endsWith('/') ? [path] : [path, path + '/']
  return [at, '*.' + at].flatMap((h) => paths.map((p) => h + p))
}

/**
 * Every rule and service `match` with what grants it: a category or service id (`null` = always, a required category).
 * @param source the config
 */
export function policyTargets(source: PolicySource): Array<[string | RegExp, string | null]> {
  const required = new Set([NECESSARY])
  const out: Array<[string | RegExp, string | null]> = []
  for (const c of source.categories ?? []) {
    if (typeof c == 'string') continue
    if (c.required) required.add(c.id)
    for (const s of c.services ?? []) for (const m of s.match ?? []) out.push([m, required.has(c.id) ? null : s.id ?? c.id])
  }
  for (const r of source.rules ?? []) {
    const id = (r.service ?? r.category) as string
    out.push([r.match, required.has(id) ? null : id])
  }
  return out
}

/**
 * The strict-mode policy: `'self'`, the hosts of required categories, of the granted ids and of the SDK's own URLs
 * (endpoint, UI, the gate's folder). Everything else third-party is blocked, ruled or not.
 * @param source the config
 * @param granted granted category and service ids
 * @param origins further origins the SDK itself loads from (the gate's folder)
 * @returns the policy, for a `<meta http-equiv>` or a `Content-Security-Policy` header
 * @example
 * strictPolicy({ rules: [{ match: 'ads.example', category: 'marketing' }] }, ['marketing'])
 */
export function strictPolicy(source: PolicySource, granted: readonly string[], origins: readonly string[] = []): string {
  const hosts = new Set<string>()
  for (const [m, id] of policyTargets(source)) if (id == null || granted.includes(id)) for (const h of hostSources(m) ?? []) hosts.add(h)
  const own = new Set<string>()
  for (const u of [source.endpoint, source.uiUrl, ...origins]) {
    try {
      if (u) own.add(new URL(u).origin)
    } catch {
      // A relative or broken URL is 'self' or nothing.
    }
  }
  const allowed = ["'self'", ...hosts, ...own].join(' ')
  // A source without a scheme matches only http(s) URLs, never a WebSocket's: `ws://host` matches ws: and wss:.
  const sockets = [...hosts].map((h) => ' ws://' + h).join('')
  return Object.entries(DIRECTIVES).map(([d, extra]) => d + ' ' + allowed + extra).join('; ') + `; connect-src ${allowed}${sockets}; base-uri 'self'`
}
