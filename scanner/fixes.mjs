// What to do about each finding: the markup or the rule to add, ready to copy. Rule coverage is the gate's own
// matcher (src/rule-matcher.ts, built to dist/rule-matcher.mjs by `npm run build`): scanner and gate never disagree.
// The specifier is built at run time so the type-check (which runs before the build) reads the types from the source.
const MATCHER = '../dist/rule-matcher.mjs'
/** @type {typeof import('../src/rule-matcher')} */
const { createMatcher, guessCategory, suggestMatch, suggestRule } = await import(MATCHER).catch((error) => {
  throw new Error(`[minopio-scan] the gate's rule matcher (dist/rule-matcher.mjs) is missing: run \`npm run build\` first (${error.code ?? error.message})`)
})

export { suggestMatch }

/** @typedef {import('./types.mjs').Violation} Violation */
/** @typedef {import('./types.mjs').Fix} Fix */
/** @typedef {{ match: string | RegExp, category: string }} Rule */

/**
 * The category of the first of the page's rules that covers a URL, as the gate decides it; `null` when none does.
 * @param {readonly Rule[]} rules the page's `config.rules` (RegExps intact)
 * @param {string} url absolute URL
 * @returns {string | null}
 */
export function ruleCategory(rules, url) {
  let href
  try {
    href = new URL(url).href
  } catch {
    return null
  }
  return createMatcher(rules)(href) || null
}

// Markup the gate holds until consent, per resource type the browser reports for a parser-made request.
/** @type {Record<string, (url: string, c: string) => string>} */
const MARKUP = {
  script: (url, c) => `<script type="text/plain" data-consent="${c}" src="${url}"></script>`,
  image: (url, c) => `<img data-consent="${c}" data-src="${url}" alt="">`,
  document: (url, c) => `<iframe data-consent="${c}" data-src="${url}" title="…"></iframe>`,
}

/**
 * The suggested fix for one finding.
 * @param {Violation} v the finding (its `rule` already set)
 * @param {{ categories: readonly { id: string, required?: boolean }[], url: string | null, tagCategory: string | null }} at
 *   the site's categories, the full URL of a request, and the category of the gated tag it belongs to (if any)
 * @returns {Fix}
 */
export function suggestFix(v, at) {
  const rule = at.url ? suggestRule(at.categories, at.url) : null
  const category = at.tagCategory ?? v.rule ?? guessCategory(at.categories)
  if (v.kind === 'cookie') {
    return {
      text: `${v.setBy === 'script' ? 'Written by a script on the page' : `Set by a response from ${v.setBy}`}: gate what sets it (see the request and tag findings), and delete it when consent is withdrawn.`,
      code: `clearOnRevoke: { ${category}: ['${v.what}'] }`,
    }
  }
  if (v.kind === 'tag') {
    return { text: 'The gate ran this tag before consent: its data-consent must name only optional categories, not a required one.', code: null }
  }
  const markup = at.url && v.initiator?.type === 'parser' ? MARKUP[v.type ?? ''] : undefined
  if (v.heldByGate && at.url) {
    return { text: 'The gate holds this tag, but the browser fetches a file written in the HTML before any script runs: write the tag as markup.', code: (MARKUP[v.type ?? ''] ?? MARKUP.script)(at.url, category) }
  }
  if (v.rule) {
    return { text: `A rule (${v.rule}) covers this URL, but the browser requested it as "${v.type}", which rules cannot hold: gate the tag or stylesheet that loads it with markup.`, code: null }
  }
  if (markup && at.url) return { text: 'Written in the HTML: mark it up so the gate holds it until consent.', code: markup(at.url, category) }
  return { text: 'Nothing covers this host: add a rule so the gate holds every request to it until consent (check the category).', code: rule }
}
