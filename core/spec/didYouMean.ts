/**
 * The closest allowed name to a misspelt one (`sinkz` → `sinks`), so a typo is reported with its fix instead of
 * being silently ignored. Plain Levenshtein distance: the candidate lists are a handful of keys.
 */

const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** The nearest candidate within a third of its length (at least 2 edits), or undefined when none is close. */
export const didYouMean = (word: string, candidates: Iterable<string>): string | undefined => {
  let best: { readonly name: string; readonly d: number } | undefined
  for (const name of candidates) {
    const d = distance(word.toLowerCase(), name.toLowerCase())
    if (d <= Math.max(2, Math.floor(name.length / 3)) && (best === undefined || d < best.d)) best = { name, d }
  }
  return best?.name
}
