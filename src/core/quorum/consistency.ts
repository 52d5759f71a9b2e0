/** Consistency levels and quorum sizes (the seed's consistency.py, with Cassandra's full set). */
import { dbError } from '../errors'

export const CONSISTENCY_LEVELS = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL'] as const
export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number]

export function isConsistencyLevel(x: unknown): x is ConsistencyLevel {
  return typeof x === 'string' && (CONSISTENCY_LEVELS as readonly string[]).includes(x)
}

/** floor(N/2)+1. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1
}

/**
 * How many replicas must answer at `level` with replication factor N: `{ w, r }`.
 * ANY is for writes only (a hint counts), so its read quorum is ONE's.
 */
export function levelToQuorum(level: ConsistencyLevel, replicationFactor: number): { w: number; r: number } {
  const n = replicationFactor
  const need = (k: number): number => {
    if (k > n)
      throw dbError('BAD_CONFIG', `consistency ${level} needs ${k} replicas but replicationFactor is ${n}`)
    return k
  }
  switch (level) {
    case 'ANY':
      return { w: 1, r: 1 }
    case 'ONE':
      return { w: 1, r: 1 }
    case 'TWO':
      return { w: need(2), r: need(2) }
    case 'THREE':
      return { w: need(3), r: need(3) }
    case 'QUORUM':
      return { w: majority(n), r: majority(n) }
    case 'ALL':
      return { w: n, r: n }
    default: {
      const never: never = level
      throw dbError('BAD_INPUT', `unknown consistency level ${String(never)}`)
    }
  }
}
