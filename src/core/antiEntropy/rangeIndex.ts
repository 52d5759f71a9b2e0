/**
 * The node's Merkle state: one tree per token range it replicates (the ring's primary arcs, so the
 * boundaries are the same on every replica), plus an in-memory index key → (range, leaf, version
 * digest, tombstone, row bytes) and leaf → keys. Writes only mark a leaf dirty; `rebuild()` rehashes
 * dirty leaves from the index synchronously, so a tree is never hashed from a half-read leaf.
 * Memory is O(keys held) (~100 B per key); it is rebuilt from a full scan when the node opens.
 */

import { lwwDigest } from '../conflict/lww'
import type { NodeId } from '../ids'
import type { MerkleRow } from '../merkle/merkleHash'
import { createMerkleTree, type MerkleTree } from '../merkle/merkleTree'
import { type HashRing, vnodeIndexFor } from '../ring/hashRing'
import { type ReplicaRange, rangesOwnedBy } from '../ring/ringRanges'
import { positionOf } from '../ring/tokens'
import type { KeyedRecord, StoredRecord } from '../storage/engine'

export interface TreeShapeConfig {
  depth: number
  arityBits: number
}

export interface KeyEntry {
  rangeIndex: number
  leaf: number
  row: MerkleRow
  /** Wire size of the row (key + value + 40, as messageBytes counts it). */
  bytes: number
  /** writtenAtMs of a tombstone (compaction may purge it after the grace period); else null. */
  tombstoneAtMs: number | null
}

export interface RangeState {
  rangeIndex: number
  range: ReplicaRange
  tree: MerkleTree
  leafKeys: Map<number, Set<string>>
  keyCount: number
  bytes: number
}

/** Bytes a row takes in a rows message (matches protocol/messages.ts messageBytes). */
export function rowWireBytes(key: string, record: StoredRecord): number {
  const value = record.tombstone ? '' : String(record.value ?? '')
  return key.length + value.length + 40
}

/** A stored row's version digest, as the cluster's conflict mode computes it (ConflictMode.digest). */
export type RowDigest = (key: string, record: StoredRecord) => string

const lwwRowDigest: RowDigest = (_key, record) => lwwDigest(record)

/** The Merkle row (key, version digest, tombstone) of a stored record. */
export function merkleRowOf(key: string, record: StoredRecord, digest: RowDigest = lwwRowDigest): MerkleRow {
  return { key, versionDigest: digest(key, record), tombstone: record.tombstone }
}

export class RangeIndex {
  readonly ranges = new Map<number, RangeState>()
  private readonly keys = new Map<string, KeyEntry>()

  constructor(
    readonly ring: HashRing,
    self: NodeId,
    replicationFactor: number,
    readonly shape: TreeShapeConfig,
    private readonly digest: RowDigest = lwwRowDigest,
  ) {
    const all = rangesOwnedBy(ring, self, replicationFactor)
    const indexOf = new Map(ring.vnodes.map((v, i) => [v.token, i]))
    for (const range of all) {
      const rangeIndex = indexOf.get(range.endInclusive)!
      const tree = createMerkleTree({
        range,
        depth: shape.depth,
        arityBits: shape.arityBits,
        position: (key) => positionOf(ring, key),
      })
      this.ranges.set(rangeIndex, { rangeIndex, range, tree, leafKeys: new Map(), keyCount: 0, bytes: 0 })
    }
  }

  /** Index of the ring arc holding `key` (the vnode at or after its token). */
  rangeOf(key: string): number {
    return vnodeIndexFor(this.ring, positionOf(this.ring, key))
  }

  /** Records a durable row; false when this node keeps no tree for its range (e.g. a stand-in). */
  track(key: string, record: StoredRecord): boolean {
    const old = this.keys.get(key)
    const state = old ? this.ranges.get(old.rangeIndex) : this.ranges.get(this.rangeOf(key))
    if (!state) return false
    const bytes = rowWireBytes(key, record)
    const tombstoneAtMs = record.tombstone ? record.writtenAtMs : null
    if (old) {
      // An update: the key's leaf is known, and its entry is rewritten in place (no allocation).
      state.tree.markLeafDirty(old.leaf)
      state.bytes += bytes - old.bytes
      old.row = merkleRowOf(key, record, this.digest)
      old.bytes = bytes
      old.tombstoneAtMs = tombstoneAtMs
      return true
    }
    const leaf = state.tree.markDirty(key)
    const set = state.leafKeys.get(leaf)
    if (set) set.add(key)
    else state.leafKeys.set(leaf, new Set([key]))
    state.keyCount++
    state.bytes += bytes
    this.keys.set(key, {
      rangeIndex: state.rangeIndex,
      leaf,
      row: merkleRowOf(key, record, this.digest),
      bytes,
      tombstoneAtMs,
    })
    return true
  }

  /** Forgets a key the engine no longer holds (a tombstone purged by compaction). */
  untrack(key: string): void {
    const old = this.keys.get(key)
    if (!old) return
    const state = this.ranges.get(old.rangeIndex)!
    state.tree.markDirty(key)
    state.leafKeys.get(old.leaf)?.delete(key)
    state.keyCount--
    state.bytes -= old.bytes
    this.keys.delete(key)
  }

  /** Tracks every record of a batch (onRowsDurable). */
  trackAll(records: readonly KeyedRecord[]): void {
    for (const r of records) this.track(r.key, r.record)
  }

  /** Rehashes every dirty leaf from the index; returns how many leaves were recomputed. */
  rebuild(rangeIndex?: number): number {
    let n = 0
    const states = rangeIndex === undefined ? this.ranges.values() : [this.ranges.get(rangeIndex)!]
    for (const state of states) {
      if (state.tree.dirtyLeafCount() === 0) continue
      n += state.tree.rebuildDirty((leaf) => this.rowsOfLeaf(state, leaf))
    }
    return n
  }

  private *rowsOfLeaf(state: RangeState, leaf: number): Iterable<MerkleRow> {
    for (const key of state.leafKeys.get(leaf) ?? []) yield this.keys.get(key)!.row
  }

  /** Keys held in the given leaves of a range. */
  keysOfLeaves(rangeIndex: number, leaves: readonly number[]): string[] {
    const state = this.ranges.get(rangeIndex)
    if (!state) return []
    return leaves.flatMap((leaf) => [...(state.leafKeys.get(leaf) ?? [])])
  }

  /** Tombstones of a range written before `cutoffMs` (candidates for a compaction purge). */
  oldTombstones(rangeIndex: number, cutoffMs: number): string[] {
    const out: string[] = []
    const state = this.ranges.get(rangeIndex)
    if (!state) return out
    for (const keys of state.leafKeys.values())
      for (const key of keys) {
        const at = this.keys.get(key)!.tombstoneAtMs
        if (at !== null && at < cutoffMs) out.push(key)
      }
    return out
  }

  /** Tracked keys that satisfy `pred` (a scan of the whole index: for rare repairs only). */
  keysWhere(pred: (key: string) => boolean): string[] {
    const out: string[] = []
    for (const key of this.keys.keys()) if (pred(key)) out.push(key)
    return out
  }

  entry(key: string): KeyEntry | undefined {
    return this.keys.get(key)
  }

  get keyCount(): number {
    return this.keys.size
  }
}
