/**
 * Moving partitions, the same in both runtimes (the seed's cluster actions): split, merge, transfer,
 * rebalance, and the hot/cold checks that split and merge by the hot-spot metrics. Every one goes
 * the one move path: data first, then the map, then a catch-up pass; rolled back when streaming fails.
 */
import { dbError } from '../core/errors'
import type { HashRing } from '../core/ring/hashRing'
import {
  leastLoaded,
  mergeRanges,
  partitionIdOf,
  placementOf,
  rebalanced,
  splitHash,
  splitRange,
  transferTo,
} from '../core/ring/placement'
import { partitionKeyOf } from '../core/ring/tokens'
import type { Membership, MembershipSnapshot } from './membership'
import type { MoveKind, MoveRecord } from './moveProgress'
import { resolveNodeRef } from './options'
import type { PartitionMetrics } from './partitionMetrics'
import type { NodeSummary, ScanPage } from './types'

/** What moving partitions uses of the cluster. */
export interface PartitionMovesHost {
  readonly m: Membership
  readonly replicationFactor: number
  readonly metrics: PartitionMetrics
  /** The members and their status now. */
  nodes(): readonly NodeSummary[]
  scan(ref: number | string, opts: { start?: string; limit?: number }): Promise<ScanPage>
  /** Starts tracking a move from `before` to the membership's current ring. */
  startMove(kind: MoveKind, label: string, before: MembershipSnapshot): MoveRecord
  /** Streams what the membership's current ring moves, from every live node. */
  streamMoved(before: MembershipSnapshot, move: MoveRecord): Promise<void>
  /** Pushes the membership's current configuration to every node. */
  publishConfig(): void
  /** After a publish: copies what was written under the old map meanwhile (never rejects). */
  catchUp(move: MoveRecord): Promise<void>
}

export class PartitionMoves {
  constructor(private readonly host: PartitionMovesHost) {}

  /** Moves to `next`: data first, then the map, then a catch-up pass; rolled back when streaming fails. */
  private async moveTo(next: HashRing, kind: MoveKind, label: string): Promise<void> {
    const { m } = this.host
    if (next === m.ring) return
    // Replicas are the next distinct owners along the ring, so a map held by fewer nodes than N
    // cannot place N replicas: QUORUM then fails everywhere (the elastic sweep merged 3 ranges into
    // 1 at N = 3). Refuse a move that makes that worse; one that keeps it (a 2-range cluster at N = 3)
    // is allowed.
    const n = Math.min(this.host.replicationFactor, m.members.length)
    const owners = (r: HashRing): number => new Set(r.vnodes.map((v) => v.node)).size
    if (owners(next) < n && owners(next) < owners(m.ring))
      throw dbError(
        'BAD_INPUT',
        `this would leave ${owners(next)} nodes holding partitions, fewer than N = ${n} replicas need`,
        { owners: owners(next), n },
      )
    const before = m.snapshot()
    m.setRing(next)
    const move = this.host.startMove(kind, label, before)
    try {
      await this.host.streamMoved(before, move)
    } catch (e) {
      m.restore(before)
      move.fail(e)
      throw e
    }
    this.host.publishConfig()
    move.published(m.ring.version)
    await this.host.catchUp(move)
    move.finish()
  }

  /** Splits partition `pid` (ClusterBase.splitPartition says how, by range or by hash). */
  async split(pid: number, splitKey?: string): Promise<{ left: number; right: number; splitKey?: string }> {
    const { m } = this.host
    const ring = m.ring
    if (placementOf(ring).kind === 'hash') {
      if (splitKey !== undefined)
        throw dbError(
          'BAD_INPUT',
          'hash partitions split by a bit of the key hash: a split key is for range partitions',
          { partition: pid },
        )
      const owner = ring.vnodes[pid]?.node
      const next = splitHash(ring, pid, leastLoaded(ring, m.members, owner))
      await this.moveTo(next, 'split', `split hash partition ${pid}`)
      return { left: pid, right: next.vnodes.length - 1 }
    }
    let key = splitKey
    if (key === undefined) {
      const keys = await this.keysOfPartition(pid)
      const pks = [...new Set(keys.map(partitionKeyOf))].sort()
      if (pks.length < 2)
        throw dbError('BAD_INPUT', `partition ${pid} holds fewer than 2 partition keys: nothing to split`)
      key = pks[Math.floor(pks.length / 2)]
    }
    const owner = ring.vnodes[pid]?.node
    await this.moveTo(
      splitRange(ring, pid, key, leastLoaded(ring, m.members, owner)),
      'split',
      `split partition ${pid} at ${JSON.stringify(key)}`,
    )
    return { left: pid, right: pid + 1, splitKey: key }
  }

  /** Merges adjacent range partitions; the survivor is `a`'s owner and the other's rows move there. */
  merge(a: number, b: number): Promise<void> {
    return this.moveTo(mergeRanges(this.host.m.ring, a, b), 'merge', `merge partitions ${a} and ${b}`)
  }

  /** Moves partition `pid` (a vnode on the consistent-hash ring) from `src` to `dst`. */
  async transfer(src: number | string, dst: number | string, pid: number): Promise<void> {
    const { m } = this.host
    const from = resolveNodeRef(src, m.members)
    const to = resolveNodeRef(dst, m.members)
    const ring = m.ring
    if (ring.vnodes[pid] && ring.vnodes[pid].node !== from)
      throw dbError('BAD_INPUT', `partition ${pid} is on ${ring.vnodes[pid].node}, not ${from}`)
    await this.moveTo(transferTo(ring, pid, to), 'transfer', `move partition ${pid} from ${from} to ${to}`)
  }

  /** Evens out partitions per node (the seed's rebalance action). */
  rebalance(): Promise<void> {
    const { m } = this.host
    return this.moveTo(rebalanced(m.ring, m.members), 'rebalance', 'rebalance partitions')
  }

  /** Splits the hot range partitions `hot` (ClusterBase.checkHotPartitions); returns the pids split. */
  async checkHot(hot: number[], minKeys: number): Promise<number[]> {
    const { m, metrics } = this.host
    const split: number[] = []
    // Highest first: a split shifts the ids of the partitions after it.
    for (const pid of hot.sort((x, y) => y - x)) {
      const used = [...new Set(metrics.keysIn(m.ring, pid).map(partitionKeyOf))]
      if (used.length < minKeys) continue
      if (placementOf(m.ring).kind === 'hash') await this.split(pid)
      else await this.split(pid, used[Math.floor(used.length / 2)])
      split.push(pid)
    }
    if (split.length > 0) metrics.reset()
    return split.sort((x, y) => x - y)
  }

  /** Merges cold neighbouring range partitions (ClusterBase.checkColdPartitions); the merged pairs. */
  async checkCold(threshold: number, maxKeys: number): Promise<Array<[number, number]>> {
    const { m, metrics } = this.host
    const merged: Array<[number, number]> = []
    for (let guard = 0; guard < m.ring.vnodes.length; guard++) {
      const ring = m.ring
      const stats = metrics.partitionStats(ring)
      const counts = Object.values(stats)
      const mean = counts.reduce((x, y) => x + y, 0) / Math.max(1, counts.length)
      const cold = (pid: number): boolean =>
        stats[pid] < threshold * mean && metrics.keysIn(ring, pid).length <= maxKeys
      let pair: [number, number] | null = null
      for (let pid = 0; pid + 1 < ring.vnodes.length && !pair; pid++)
        if (cold(pid) && cold(pid + 1)) pair = [pid, pid + 1]
      if (!pair) break
      await this.merge(pair[0], pair[1])
      merged.push(pair)
    }
    return merged
  }

  /** Keys stored in partition `pid` on any live node (tombstones excluded). */
  private async keysOfPartition(pid: number): Promise<string[]> {
    const ring = this.host.m.ring
    const keys = new Set<string>()
    await this.eachLiveRow((k) => {
      try {
        if (partitionIdOf(ring, k) === pid) keys.add(k)
      } catch {}
    })
    return [...keys]
  }

  /** Calls `fn` for every row key of every live node (paged scans). */
  private async eachLiveRow(fn: (key: string) => void): Promise<void> {
    for (const n of this.host.nodes()) {
      if (n.status !== 'up') continue
      let start: string | undefined
      for (;;) {
        const page = await this.host.scan(n.id, { start, limit: 1000 })
        for (const r of page.rows) fn(r.key)
        if (page.next === null) break
        start = page.next
      }
    }
  }

  /** Live rows per partition of `ring`: every live node's rows, distinct keys, tombstones excluded. */
  async itemCounts(ring: HashRing): Promise<Record<number, number>> {
    const keys = new Set<string>()
    await this.eachLiveRow((k) => keys.add(k))
    const out: Record<number, number> = {}
    for (let pid = 0; pid < ring.vnodes.length; pid++) out[pid] = 0
    for (const k of keys) {
      try {
        out[partitionIdOf(ring, k)]++
      } catch {}
    }
    return out
  }
}
