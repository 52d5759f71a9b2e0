/**
 * Which keys' histories are whole when the node-side workload is sampled by key
 * (core/workload/historyTap.ts): a key is whole only when sampled at every rate seen, and none is
 * once some ops were lost to a full buffer. The others' reads of unseen values are not judged.
 */
import { keySampled } from '../workload/historyTap'

export class SampledKeys {
  private readonly rates = new Set<number>()
  private lost = false

  /** Notes a sampling (and whether ops were lost); true when that makes more keys incomplete. */
  note(sampleEvery: number, lost = false): boolean {
    const fresh = !this.rates.has(sampleEvery) || (lost && !this.lost)
    this.rates.add(sampleEvery)
    if (lost) this.lost = true
    return fresh
  }

  whole(key: string): boolean {
    if (this.lost) return false
    for (const n of this.rates) if (!keySampled(key, n)) return false
    return true
  }
}
