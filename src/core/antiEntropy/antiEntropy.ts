/**
 * Merkle anti-entropy installed into a DbNode: keeps the per-range trees up to date from durable
 * writes (node.onRowsDurable), answers peers' merkle requests (node.onMerkle), runs an exchange
 * with one replica of one range every `antiEntropyIntervalMs` (0 = off), and records what each
 * exchange moved. The exchange itself lives in exchange.ts, the peer side in responder.ts.
 */
import type { NodeId } from '../ids'
import type { DbNode } from '../node/dbNode'
import { NODE_DEFAULTS } from '../node/nodeConfig'
import type { MerkleShapeWire, RowVersion } from '../protocol/messages'
import type { ExchangeStats } from './exchangeStats'
import { RangeIndex, type RangeState, type TreeShapeConfig } from './rangeIndex'

/** How many exchange stats a node keeps for inspect(). */
export const EXCHANGE_HISTORY_MAX = 20

export class AntiEntropy {
  index: RangeIndex
  readonly history: ExchangeStats[] = []
  /** Ranges with an exchange in flight (one at a time per range). */
  readonly busy = new Set<number>()
  private cursor = 0
  totals = { exchanges: 0, keysSent: 0, keysReceived: 0, bytesSent: 0 }

  constructor(readonly node: DbNode) {
    this.index = new RangeIndex(
      node.ring,
      node.id,
      this.replicationFactor(),
      shapeOf(node),
      node.conflict.digest,
    )
  }

  replicationFactor(): number {
    return Math.min(this.node.config.replicationFactor, this.node.config.members.length)
  }

  /** Rebuilds the index from a full scan (at open, after a ring change or a reshape). */
  async reindex(shape: TreeShapeConfig = shapeOf(this.node)): Promise<void> {
    const index = new RangeIndex(
      this.node.ring,
      this.node.id,
      this.replicationFactor(),
      shape,
      this.node.conflict.digest,
    )
    for (const r of await this.node.engine.scan({ includeTombstones: true })) index.track(r.key, r.record)
    index.rebuild()
    this.index = index
  }

  /** Reindexes when the ring changed since the trees were built. */
  async ensureRing(): Promise<void> {
    if (this.index.ring.version !== this.node.ring.version) await this.reindex(this.index.shape)
  }

  /** The wire form of a range's tree shape (the peer checks it equals its own). */
  shapeWire(state: RangeState): MerkleShapeWire {
    return {
      startExclusive: state.range.startExclusive,
      endInclusive: state.range.endInclusive,
      depth: this.index.shape.depth,
      arityBits: this.index.shape.arityBits,
    }
  }

  /** True when `wire` describes the same tree as ours for that range. */
  sameShape(state: RangeState, wire: MerkleShapeWire): boolean {
    const mine = this.shapeWire(state)
    return (
      mine.startExclusive === wire.startExclusive &&
      mine.endInclusive === wire.endInclusive &&
      mine.depth === wire.depth &&
      mine.arityBits === wire.arityBits
    )
  }

  /** This node's rows (tombstones included) in the given leaves; forgets keys the engine purged. */
  async rowsOfLeaves(rangeIndex: number, leaves: readonly number[]): Promise<RowVersion[]> {
    const rows: RowVersion[] = []
    for (const key of this.index.keysOfLeaves(rangeIndex, leaves)) {
      const r = await this.node.engine.get(key)
      if (!r) {
        this.index.untrack(key)
        continue
      }
      const meta = r.meta as { ts: number; node: NodeId }
      rows.push({
        key,
        value: r.tombstone ? null : (r.value as string),
        tombstone: r.tombstone,
        version: { ts: meta.ts, node: meta.node },
        writtenAtMs: r.writtenAtMs,
      })
    }
    return rows
  }

  /**
   * Re-reads the tracked keys that satisfy `pred` from storage and tracks what it serves now (after
   * a corrupt block was quarantined its rows are gone, so their leaves differ from the peers' and the
   * next exchange brings them back).
   */
  async retrack(pred: (key: string) => boolean): Promise<void> {
    for (const key of this.index.keysWhere(pred)) {
      let r: Awaited<ReturnType<DbNode['engine']['get']>>
      try {
        r = await this.node.engine.get(key)
      } catch {
        r = undefined // another corrupt block: its own report retracks it
      }
      if (r) this.index.track(key, r)
      else this.index.untrack(key)
    }
  }

  /** Drops tombstones past the grace period that compaction has purged, so the tree matches storage. */
  async forgetPurged(rangeIndex: number): Promise<void> {
    const cutoff = this.node.env.clock.nowMs() - this.node.config.tombstoneGraceMs
    for (const key of this.index.oldTombstones(rangeIndex, cutoff)) {
      if (!(await this.node.engine.get(key))) this.index.untrack(key)
    }
  }

  /** Replicas of a range other than this node, healthy ones only. */
  peersOf(rangeIndex: number): NodeId[] {
    const state = this.index.ranges.get(rangeIndex)
    if (!state) return []
    return state.range.replicas.filter((p) => p !== this.node.id && this.node.fd.healthy(p))
  }

  /** The next (range, peer) pair for the periodic exchange: ranges round-robin, a random healthy peer. */
  nextTarget(): { rangeIndex: number; peer: NodeId } | null {
    const ranges = [...this.index.ranges.keys()].sort((a, b) => a - b)
    for (let i = 0; i < ranges.length; i++) {
      const rangeIndex = ranges[(this.cursor + i) % ranges.length]
      const peers = this.peersOf(rangeIndex)
      if (peers.length === 0 || this.busy.has(rangeIndex)) continue
      this.cursor = (this.cursor + i + 1) % ranges.length
      return { rangeIndex, peer: peers[this.node.env.random.int(peers.length)] }
    }
    return null
  }

  /** Keeps the stats, updates totals and emits the 'merkle-exchange' event. */
  record(stats: ExchangeStats): void {
    this.history.push(stats)
    if (this.history.length > EXCHANGE_HISTORY_MAX) this.history.shift()
    this.totals.exchanges++
    this.totals.keysSent += stats.keysSent
    this.totals.keysReceived += stats.keysReceived
    this.totals.bytesSent += stats.bytesSent
    const { atMs: _, durationMs: __, ...detail } = stats
    this.node.emit({ type: 'merkle-exchange', peer: stats.peer, detail: JSON.stringify(detail) })
  }
}

/** The tree shape from the node's config (the same on every node). */
export function shapeOf(node: DbNode): TreeShapeConfig {
  return {
    depth: node.config.merkleDepth ?? NODE_DEFAULTS.merkleDepth,
    arityBits: node.config.merkleArityBits ?? NODE_DEFAULTS.merkleArityBits,
  }
}
