/** Versions and the ops that carry them. LWW orders versions by (timestamp, node id). */
import type { NodeId, OpId } from '../ids'

export interface Version {
  ts: number
  node: NodeId
}

/** A replicated write or delete. `origin`/`seq` make its op id; `version` decides LWW. */
export interface Op {
  id: OpId
  origin: NodeId
  seq: number
  key: string
  value: string | null
  tombstone: boolean
  version: Version
  /** Origin's clock when written (tombstone grace, hint age). */
  writtenAtMs: number
}

/** Negative when a < b, positive when a > b, 0 when equal. Ties on ts are broken by node id. */
export function compareVersions(a: Version, b: Version): number {
  if (a.ts !== b.ts) return a.ts - b.ts
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0
}

/** A compact string that identifies a version (Merkle leaves hash it). */
export function versionDigest(v: Version): string {
  return `${v.ts}@${v.node}`
}

/** Rough wire/storage size of an op in bytes (for throttling and reports). */
export function opBytes(op: Op): number {
  return op.key.length + (op.value?.length ?? 0) + 48
}
