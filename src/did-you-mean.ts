/**
 * Edit distance, case-insensitive: insertions, deletions, substitutions and swaps of two neighbours (`lable` → `label`
 * is one edit), each counting 1 (optimal string alignment).
 * @example distance('polcyUrl', 'policyUrl') // 1
 */
export function distance(a: string, b: string): number {
  a = a.toLowerCase()
  b = b.toLowerCase()
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i ? (j ? 0 : i) : j)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/**
 * The candidate a typo most likely meant: the closest one within a third of the word's length (at least 1 edit),
 * or `null` when nothing is that close.
 * @param word what was written
 * @param candidates what is allowed
 * @example didYouMean('markting', ['necessary', 'marketing']) // 'marketing'
 */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1
  for (const c of candidates) {
    const d = distance(word, c)
    if (d < bestDistance) [best, bestDistance] = [c, d]
  }
  return best
}
