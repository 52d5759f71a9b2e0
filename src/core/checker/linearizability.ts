/**
 * Linearizability of per-key register histories (Wing–Gong search with Lowe's memoisation, as in
 * Knossos and Porcupine). The register starts absent (null); a write sets it, a delete clears it, a
 * read must see it. An op may be linearized next when it was invoked no later than the earliest
 * completion among the acknowledged ops not yet linearized; indeterminate (info) mutations may be
 * linearized at any such point or never. Each (linearized set, register value) state is explored
 * once; past `maxStates` or `maxOpsPerKey` the verdict is `unknown` rather than a guess.
 */
import { type CompletedOp, opsByKey } from './history'

export type LinearizabilityVerdict = 'linearizable' | 'not-linearizable' | 'unknown'

export interface LinearizabilityOptions {
  /** Keys with more ops than this are not searched (default 200). */
  maxOpsPerKey?: number
  /** Search budget per key, in distinct states (default 200_000). */
  maxStates?: number
  /**
   * The register's state before the first op is unknown (a sliding window that dropped older ops):
   * the first read placed may see any value. Default false: the register starts absent (null).
   */
  initialUnknown?: boolean
}

export interface KeyLinearizability {
  key: string
  verdict: LinearizabilityVerdict
  opCount: number
  statesExplored: number
  /** When not linearizable: the ok ops that could never be placed by the deepest search. */
  unplaced?: CompletedOp[]
}

interface Frame {
  mask: bigint
  /** undefined: not known yet (initialUnknown, before any mutation or read is placed). */
  value: string | null | undefined
}

/** Searches one key's ops (all for the same key) for a valid linearization. */
export function checkKeyLinearizable(
  key: string,
  keyOps: readonly CompletedOp[],
  options: LinearizabilityOptions = {},
): KeyLinearizability {
  const maxOps = options.maxOpsPerKey ?? 200
  const maxStates = options.maxStates ?? 200_000
  const ops = [...keyOps].sort((a, b) => a.start - b.start)
  const base = { key, opCount: ops.length }
  if (ops.length > maxOps) return { ...base, verdict: 'unknown', statesExplored: 0 }
  const bit = ops.map((_, i) => 1n << BigInt(i))
  const okMask = ops.reduce((m, op, i) => (op.outcome === 'ok' ? m | bit[i] : m), 0n)
  // Successors are pushed latest-completing first, so the op that completed first is tried first:
  // a register that takes effect at completion is then linearized without backtracking.
  const byEndDesc = (a: number, b: number) =>
    ops[a].end === ops[b].end ? b - a : ops[a].end < ops[b].end ? 1 : -1
  const pushOrder = ops.map((_, i) => i).sort(byEndDesc)
  const seen = new Set<string>()
  const stack: Frame[] = [{ mask: 0n, value: options.initialUnknown ? undefined : null }]
  let deepest = 0n
  let deepestCount = -1
  while (stack.length > 0) {
    const { mask, value } = stack.pop()!
    if ((mask & okMask) === okMask) return { ...base, verdict: 'linearizable', statesExplored: seen.size }
    const id = `${mask.toString(36)}|${value === undefined ? '?' : value === null ? '' : `=${value}`}`
    if (seen.has(id)) continue
    seen.add(id)
    if (seen.size > maxStates) return { ...base, verdict: 'unknown', statesExplored: seen.size }
    let placed = 0
    let minEnd = Number.POSITIVE_INFINITY
    ops.forEach((op, i) => {
      if ((mask & bit[i]) === 0n) minEnd = Math.min(minEnd, op.end)
      else if (op.outcome === 'ok') placed++
    })
    if (placed > deepestCount) {
      deepestCount = placed
      deepest = mask
    }
    for (const i of pushOrder) {
      const op = ops[i]
      if ((mask & bit[i]) !== 0n || op.start > minEnd) continue
      if (op.f === 'read') {
        if (value === undefined || op.value === value) stack.push({ mask: mask | bit[i], value: op.value })
      } else stack.push({ mask: mask | bit[i], value: op.f === 'write' ? op.value : null })
    }
  }
  const unplaced = ops.filter((op, i) => op.outcome === 'ok' && (deepest & bit[i]) === 0n)
  return { ...base, verdict: 'not-linearizable', statesExplored: seen.size, unplaced }
}

/** Checks every key independently (linearizability is compositional per object). */
export function checkLinearizability(
  ops: readonly CompletedOp[],
  options: LinearizabilityOptions = {},
): KeyLinearizability[] {
  return [...opsByKey(ops)].map(([key, keyOps]) => checkKeyLinearizable(key, keyOps, options))
}
