// Turns the three visits of a page into findings: violations (before consent), under-firing (after accept), tags.
import { suggestFix } from './fixes.mjs'

/** @typedef {import('./types.mjs').VisitName} VisitName */
/** @typedef {import('./types.mjs').VisitReport} VisitReport */
/** @typedef {import('./types.mjs').Violation} Violation */
/** @typedef {import('./types.mjs').AuditTag} AuditTag */

/** @type {VisitName[]} */
export const VISITS = ['none', 'reject', 'accept']

/**
 * Whether something recorded in a visit happened before the visitor consented: anything in the no-decision and
 * reject-all visits, and what the accept-all visit did before the click.
 * @param {VisitName} visit @param {import('./types.mjs').Phase} phase
 */
export const beforeConsent = (visit, phase) => visit !== 'accept' || phase === 'load'

// Without query or fragment: they change per visit (event ids, user ids) and may carry personal data.
const bare = (/** @type {string | null} */ url) => url && url.split(/[?#]/)[0]
const tagKey = (/** @type {AuditTag} */ t) => `${t.kind} ${bare(t.url) ?? t.hash ?? t.snippet}`
const RAN = new Set(['released', 'loaded'])

/**
 * Adds a finding, or the visit to the same finding already seen.
 * @param {Map<string, Violation>} found @param {string} key @param {VisitName} visit @param {() => Violation} make
 */
function note(found, key, visit, make) {
  let v = found.get(key)
  if (!v) found.set(key, (v = make()))
  if (!v.visits.includes(visit)) v.visits.push(visit)
}

/**
 * Classifies what a page did across its visits.
 * @param {Partial<Record<VisitName, VisitReport | null>>} visits
 * @param {import('./types.mjs').SdkInfo['categories']} categories the SDK's categories (`[]` without the SDK)
 * @returns {Pick<import('./types.mjs').PageReport, 'tags' | 'violations' | 'underFiring' | 'afterAccept'>}
 */
export function classify(visits, categories) {
  const required = new Set(categories.filter((c) => c.required).map((c) => c.id))
  // "Kiln Films (Kiln Films Ltd)" per service id: marketing staff think in vendors.
  const named = new Map(categories.flatMap((c) => (c.services ?? []).map((s) => [s.id, s.provider && s.provider !== s.name ? `${s.name} (${s.provider})` : s.name])))
  /** @type {Map<string, Violation>} */
  const found = new Map()
  /** @type {Map<string, import('./types.mjs').TagRow>} */
  const tags = new Map()

  for (const name of VISITS) {
    const v = visits[name]
    if (!v) continue
    for (const t of v.audit ?? []) {
      const key = tagKey(t)
      let row = tags.get(key)
      if (!row) {
        const service = (t.services ?? []).map((id) => named.get(id) ?? id).join(', ') || null
        row = { kind: t.kind, url: bare(t.url), snippet: t.snippet, category: t.category, service, via: t.via, states: { none: null, reject: null, accept: null } }
        tags.set(key, row)
      }
      row.states[name] = t.state
      const optional = (t.categories ?? [t.category]).some((c) => !required.has(c))
      if (name !== 'accept' && optional && RAN.has(t.state) && !t.once) {
        note(found, `tag ${key}`, name, () => {
          /** @type {Violation} */
          const f = {
            kind: 'tag', host: t.url ? new URL(t.url).host : '(inline)', what: bare(t.url) ?? t.snippet ?? '', type: t.kind,
            initiator: null, setBy: null, visits: [], heldByGate: false, rule: null, fix: null,
          }
          f.fix = suggestFix(f, { categories, url: null, tagCategory: t.category })
          return f
        })
      }
    }
    /** @type {Map<string | null, AuditTag>} */
    const byUrl = new Map((v.audit ?? []).filter((t) => t.url).map((t) => [bare(t.url), t]))
    for (const r of v.requests) {
      if (r.allowed || r.sdk || !beforeConsent(name, r.phase)) continue
      const tag = byUrl.get(r.url)
      note(found, `request ${r.host}${r.path}`, name, () => {
        /** @type {Violation} */
        const f = {
          kind: 'request', host: r.host, what: r.path, type: r.type, initiator: r.initiator, setBy: null, visits: [],
          heldByGate: tag?.state === 'blocked', rule: r.rule ?? null, fix: null,
        }
        f.fix = suggestFix(f, { categories, url: tag?.state === 'blocked' ? tag.url : r.url, tagCategory: tag?.category ?? null })
        return f
      })
    }
    for (const c of v.cookies) {
      if (c.allowed || !beforeConsent(name, c.phase)) continue
      note(found, `cookie ${c.name}@${c.domain}`, name, () => {
        /** @type {Violation} */
        const f = {
          kind: 'cookie', host: c.domain, what: c.name, type: c.thirdParty ? 'third-party' : 'first-party', initiator: null,
          setBy: c.setBy, visits: [], heldByGate: false, rule: null, fix: null,
        }
        f.fix = suggestFix(f, { categories, url: null, tagCategory: null })
        return f
      })
    }
  }

  const accept = visits.accept
  const decided = accept && !accept.error && accept.decidedBy
  const underFiring = decided
    ? (accept.audit ?? []).filter((t) => !RAN.has(t.state)).map((t) => ({ kind: t.kind, url: bare(t.url), snippet: t.snippet, category: t.category, state: t.state }))
    : []
  /** @type {Map<string, string[]>} */
  const after = new Map()
  for (const r of decided ? accept.requests : []) {
    if (r.sdk || r.phase === 'load') continue
    const paths = after.get(r.host) ?? []
    after.set(r.host, paths)
    if (!paths.includes(r.path)) paths.push(r.path)
  }
  return {
    // Grouped by service (vendor), tags of no service last; in the order the gate found them within a group.
    tags: [...tags.values()].sort((a, b) => (a.service ?? '\uffff').localeCompare(b.service ?? '\uffff')),
    violations: [...found.values()],
    underFiring,
    afterAccept: [...after].map(([host, paths]) => ({ host, paths })),
  }
}
