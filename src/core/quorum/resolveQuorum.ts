/** Turns cluster options (N, optional W/R, optional consistency level) into validated quorum sizes. */
import { dbError } from '../errors'
import { type ConsistencyLevel, isConsistencyLevel, levelToQuorum, majority } from './consistency'

export interface QuorumOptions {
  replicationFactor: number
  writeQuorum?: number
  readQuorum?: number
  /** When given it decides W and R (as ClusterOptions documents); explicit W/R are still validated. */
  consistency?: ConsistencyLevel
}

export interface Quorum {
  n: number
  w: number
  r: number
}

function assertQuorumSize(name: 'writeQuorum' | 'readQuorum', value: number, n: number): void {
  if (!Number.isInteger(value)) throw dbError('BAD_CONFIG', `${name} must be an integer, got ${value}`)
  if (value < 1) throw dbError('BAD_CONFIG', `${name} ${value} < 1`, { [name]: value })
  if (value > n) {
    throw dbError('BAD_CONFIG', `${name} ${value} > replicationFactor ${n}`, {
      [name]: value,
      replicationFactor: n,
    })
  }
}

/** {n, w, r}: W and R default to floor(N/2)+1; BAD_CONFIG unless N ≥ 1 and 1 ≤ W, R ≤ N, all integers. */
export function resolveQuorum(options: QuorumOptions): Quorum {
  const n = options.replicationFactor
  if (!Number.isInteger(n) || n < 1) {
    throw dbError('BAD_CONFIG', `replicationFactor must be an integer >= 1, got ${n}`, {
      replicationFactor: n,
    })
  }
  if (options.writeQuorum !== undefined) assertQuorumSize('writeQuorum', options.writeQuorum, n)
  if (options.readQuorum !== undefined) assertQuorumSize('readQuorum', options.readQuorum, n)
  if (options.consistency !== undefined) {
    if (!isConsistencyLevel(options.consistency)) {
      throw dbError('BAD_CONFIG', `unknown consistency level ${String(options.consistency)}`)
    }
    return { n, ...levelToQuorum(options.consistency, n) }
  }
  return { n, w: options.writeQuorum ?? majority(n), r: options.readQuorum ?? majority(n) }
}

/** True when every read quorum overlaps every write quorum (R + W > N), absent stand-ins. */
export function quorumsOverlap(q: Quorum): boolean {
  return q.r + q.w > q.n
}
