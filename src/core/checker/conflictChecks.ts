/**
 * What "lost" means per conflict mode, for a workload that adds unique elements to sets (and, in
 * `crdt` mode, counts on a PN-Counter), checked after heal and quiescence:
 * - an acknowledged add is lost when its element is in no replica's final state and no remove of it
 *   was issued (in `vector` mode the state is the union of every sibling's elements, so an element
 *   in any sibling counts; in `lww` there is one value);
 * - a PN-Counter is exact when its increments total lies between the acknowledged ones and the
 *   acknowledged plus the indeterminate ones (each op counted at most once), and the same for its
 *   decrements;
 * - replicas must hold equal states (divergence).
 */

export interface SetOp {
  key: string
  f: 'add' | 'remove'
  element: string
  /** ok = acknowledged; info = indeterminate (it may or may not have happened). */
  outcome: 'ok' | 'info'
}

export interface CounterOp {
  key: string
  f: 'inc' | 'dec'
  by: number
  outcome: 'ok' | 'info'
}

export interface ConflictCheckInput {
  sets: readonly SetOp[]
  counters: readonly CounterOp[]
  /** Per replica, each set key's final elements. */
  finalSets: ReadonlyArray<ReadonlyMap<string, ReadonlySet<string>>>
  /** Per replica, each counter key's final increments and decrements totals. */
  finalCounters: ReadonlyArray<ReadonlyMap<string, { inc: number; dec: number }>>
  /** Per replica, a canonical text of every key's state (equal text = converged). */
  finalStates: ReadonlyArray<ReadonlyMap<string, string>>
}

export interface ConflictAnomaly {
  kind: 'lost-add' | 'counter-inexact' | 'divergence'
  key: string
  detail: string
}

export function checkConflictRun(input: ConflictCheckInput): ConflictAnomaly[] {
  const out: ConflictAnomaly[] = []
  const removed = new Set(input.sets.filter((o) => o.f === 'remove').map((o) => `${o.key}\u0000${o.element}`))
  for (const op of input.sets) {
    if (op.f !== 'add' || op.outcome !== 'ok' || removed.has(`${op.key}\u0000${op.element}`)) continue
    if (input.finalSets.some((r) => r.get(op.key)?.has(op.element))) continue
    out.push({
      kind: 'lost-add',
      key: op.key,
      detail: `acknowledged add of ${op.element} is in no final state`,
    })
  }
  const keys = new Set(input.counters.map((o) => o.key))
  for (const key of keys) {
    const bound = (f: 'inc' | 'dec', outcomes: Array<'ok' | 'info'>) =>
      input.counters
        .filter((o) => o.key === key && o.f === f && outcomes.includes(o.outcome))
        .reduce((s, o) => s + o.by, 0)
    const lo = { inc: bound('inc', ['ok']), dec: bound('dec', ['ok']) }
    const hi = { inc: bound('inc', ['ok', 'info']), dec: bound('dec', ['ok', 'info']) }
    input.finalCounters.forEach((r, i) => {
      const got = r.get(key) ?? { inc: 0, dec: 0 }
      for (const f of ['inc', 'dec'] as const)
        if (got[f] < lo[f] || got[f] > hi[f])
          out.push({
            kind: 'counter-inexact',
            key,
            detail: `replica ${i}: ${f} total ${got[f]} outside [${lo[f]}, ${hi[f]}] (acknowledged, + indeterminate)`,
          })
    })
  }
  const first = input.finalStates[0]
  for (let i = 1; i < input.finalStates.length; i++) {
    const other = input.finalStates[i]
    for (const key of new Set([...first.keys(), ...other.keys()]))
      if (first.get(key) !== other.get(key))
        out.push({ kind: 'divergence', key, detail: `replica 0 and replica ${i} hold different states` })
  }
  return out
}

/** How many acknowledged adds are in no final state (removed elements aside): the LWW figure. */
export function lostAdds(input: ConflictCheckInput): number {
  return checkConflictRun(input).filter((a) => a.kind === 'lost-add').length
}
