/**
 * Hot-spot metrics of the Cluster API (the seed's partition_ops and key_freq): client operations
 * counted per key; per-partition counts are derived from them under the CURRENT partition map, so
 * they stay right across splits, merges and membership changes. Bounded: past `keysMax` distinct keys
 * the keys seen once are dropped (and counted in `droppedOps`).
 */
import type { HashRing } from '../core/ring/hashRing'
import { partitionIdOf } from '../core/ring/placement'

const KEYS_MAX = 100_000

export class PartitionMetrics {
  private keyOps = new Map<string, number>()
  /** Operations whose key was dropped by the bound (still counted nowhere else). */
  droppedOps = 0

  constructor(private readonly keysMax = KEYS_MAX) {}

  /** `n` client operations (put, get, delete, read) on `key`. */
  note(key: string, n = 1): void {
    this.keyOps.set(key, (this.keyOps.get(key) ?? 0) + n)
    if (this.keyOps.size > this.keysMax) {
      for (const [k, n] of this.keyOps)
        if (n === 1) {
          this.keyOps.delete(k)
          this.droppedOps++
        }
    }
  }

  reset(): void {
    this.keyOps = new Map()
    this.droppedOps = 0
  }

  /** Operations per partition id (every partition, zeros included). */
  partitionStats(ring: HashRing): Record<number, number> {
    const out: Record<number, number> = {}
    for (let pid = 0; pid < ring.vnodes.length; pid++) out[pid] = 0
    for (const [key, n] of this.keyOps) {
      try {
        const pid = partitionIdOf(ring, key)
        out[pid] += n
      } catch {
        // a key no range holds any more: it counts nowhere
      }
    }
    return out
  }

  /** Partitions whose operations exceed `threshold` × the mean over all partitions. */
  hotPartitions(ring: HashRing, threshold: number): number[] {
    const stats = Object.entries(this.partitionStats(ring)).map(([pid, n]) => [Number(pid), n] as const)
    const mean = stats.reduce((a, [, n]) => a + n, 0) / Math.max(1, stats.length)
    return stats.filter(([, n]) => n > 0 && n > threshold * mean).map(([pid]) => pid)
  }

  /** The `topN` keys with the most operations, most first. */
  hotKeys(topN: number): Array<[string, number]> {
    return [...this.keyOps].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topN)
  }

  /** Operations on `key`. */
  keyCount(key: string): number {
    return this.keyOps.get(key) ?? 0
  }

  /** Distinct keys with operations in partition `pid`. */
  keysIn(ring: HashRing, pid: number): string[] {
    const out: string[] = []
    for (const key of this.keyOps.keys()) {
      try {
        if (partitionIdOf(ring, key) === pid) out.push(key)
      } catch {}
    }
    return out.sort()
  }
}
