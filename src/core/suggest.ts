/**
 * "Did you mean …?" for misspelt option and field names: the closest known name by edit distance
 * (Levenshtein, case-insensitive), when it is close enough to be a likely typo.
 */

/** Edit distance (insertions, deletions, substitutions) between two strings, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const row = [i]
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)
      row.push(Math.min(sub, prev[j] + 1, row[j - 1] + 1))
    }
    prev = row
  }
  return prev[y.length]
}

/** The known name closest to `name`, or undefined when none is within a third of its length (≥ 2). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  if (name.length > 100) return undefined
  const limit = Math.max(2, Math.floor(name.length / 3))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const k of known) {
    const d = editDistance(name, k)
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  return best
}

/** `unknown <what> "x" (did you mean "y"?)`, or with the known names listed when nothing is close. */
export function unknownNameMessage(what: string, name: string, known: readonly string[]): string {
  const guess = closestName(name, known)
  return guess
    ? `unknown ${what} ${JSON.stringify(name)} (did you mean ${JSON.stringify(guess)}?)`
    : `unknown ${what} ${JSON.stringify(name)} (known: ${known.join(', ')})`
}

/** A short, printable form of any value for error messages ("got …"). */
export function showValue(v: unknown): string {
  switch (typeof v) {
    case 'string': {
      const s = JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
      return s
    }
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(v)
    case 'bigint':
      return `${v}n`
    case 'function':
      return 'a function'
    case 'symbol':
      return v.toString()
    default: {
      if (v === null) return 'null'
      try {
        const s = JSON.stringify(v)
        return s.length > 60 ? `${s.slice(0, 57)}...` : s
      } catch {
        return Object.prototype.toString.call(v)
      }
    }
  }
}
