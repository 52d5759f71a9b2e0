/**
 * Lost-write detector: compares acknowledged mutations with each key's final value after heal and
 * quiescence (Jepsen's final reads). An acknowledged mutation M of key k whose effect is not the
 * final state (a write of w when final ≠ w; a delete when final ≠ null) is lost when either
 * - every mutation that could have produced the final state precedes M in real time (the final
 *   state is provably older than M; for null that includes the initial state), or
 * - nothing was invoked after M completed that could legitimately replace it (no mutation X, ok or
 *   indeterminate, with M.end < X.start), and the system's version order ranks the final value
 *   below M's value (an LWW loss, e.g. clock skew). Without a rank for both, a final mutation
 *   concurrent with M could have been linearized after it, so M is not reported.
 * A lost delete is a zombie: data that was deleted came back.
 */
import { type CompletedOp, opsByKey, precedes } from './history'

export interface LostWrite {
  kind: 'lost-write' | 'lost-delete'
  key: string
  op: CompletedOp
  finalValue: string | null
  /** The mutations that could have produced the final state (empty: initial state or unknown value). */
  finalMutations: CompletedOp[]
  reason: 'final-state-older' | 'ranked-older'
}

export interface LostWriteInput {
  ops: readonly CompletedOp[]
  /** Each key's value after heal and quiescence; a missing key or null means no value. */
  finalValues: ReadonlyMap<string, string | null>
  /** Per key, written values from oldest to newest in the system's own version order (e.g. LWW). */
  versionOrder?: ReadonlyMap<string, readonly string[]>
}

function checkKey(key: string, ops: CompletedOp[], input: LostWriteInput): LostWrite[] {
  const finalValue = input.finalValues.get(key) ?? null
  const mutations = ops.filter((op) => op.f !== 'read')
  const finalMutations = mutations.filter((m) =>
    finalValue === null ? m.f === 'delete' : m.f === 'write' && m.value === finalValue,
  )
  const rank = input.versionOrder?.get(key)
  const out: LostWrite[] = []
  for (const m of mutations) {
    if (m.outcome !== 'ok') continue
    const visible = m.f === 'delete' ? finalValue === null : m.value === finalValue
    if (visible) continue
    const kind = m.f === 'delete' ? 'lost-delete' : 'lost-write'
    if (finalMutations.every((f) => precedes(f, m))) {
      // A final value nobody wrote is an impossible read, not evidence about m.
      if (finalValue === null || finalMutations.length > 0) {
        out.push({ kind, key, op: m, finalValue, finalMutations, reason: 'final-state-older' })
      }
      continue
    }
    const replacedLater = mutations.some((x) => x !== m && precedes(m, x))
    if (replacedLater || rank === undefined || m.value === null || finalValue === null) continue
    const mine = rank.indexOf(m.value)
    const theirs = rank.indexOf(finalValue)
    if (mine >= 0 && theirs >= 0 && theirs < mine) {
      out.push({ kind, key, op: m, finalValue, finalMutations, reason: 'ranked-older' })
    }
  }
  return out
}

/** Every acknowledged write or delete whose effect did not survive, in invocation order. */
export function findLostWrites(input: LostWriteInput): LostWrite[] {
  const out: LostWrite[] = []
  for (const [key, keyOps] of opsByKey(input.ops)) out.push(...checkKey(key, keyOps, input))
  return out.sort((a, b) => a.op.index - b.op.index)
}
