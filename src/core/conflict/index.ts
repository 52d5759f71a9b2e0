/** The node's conflict mode, from its config: one object that compares, merges and hashes versions. */
import type { StoredRecord } from '../storage/engine'
import { lwwMode } from './lww'
import type { ConflictMode, ConsistencyMode, CrdtType } from './types'

export type { ConflictMode, ConsistencyMode, CrdtType } from './types'

/** What a node's config says about conflicts (fields of NodeConfig). */
export interface ConflictConfig {
  consistencyMode?: ConsistencyMode
  crdtConfig?: Record<string, CrdtType>
  siblingsMax?: number
}

/** The conflict mode for a node config (LWW unless the cluster chose another). */
export function conflictModeFor(_config: ConflictConfig): ConflictMode {
  return lwwMode
}

/**
 * The version digest a Merkle leaf hashes for a stored row: a merged state's digest (its clocks,
 * kept in the row's meta as `d`, so replicas holding equal sets compare equal), else `ts@node`.
 */
export function recordDigest(record: StoredRecord): string {
  const m = record.meta as { ts: number; node: string; d?: string }
  return m.d ?? `${m.ts}@${m.node}`
}
