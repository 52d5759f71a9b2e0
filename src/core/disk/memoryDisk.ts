/**
 * An in-memory Disk for the simulator and unit tests. It outlives a simulated node crash (the node's
 * volatile state is thrown away; what was committed here stays), and `crashPoints` lets a test fail
 * any commit to model a crash between two await points.
 */
import { dbError } from '../errors'
import {
  compareDiskKeys,
  DISK_STORES,
  type Disk,
  type DiskEntry,
  type DiskKey,
  type DiskOp,
  type DiskRange,
  type DiskStore,
} from './disk'

export interface MemoryDiskHooks {
  /** Called before each commit is applied; throw to model a crash before it became durable. */
  beforeCommit?: (ops: readonly DiskOp[]) => void
}

export class MemoryDisk implements Disk {
  readonly name: string
  hooks: MemoryDiskHooks = {}
  commits = 0
  private stores = new Map<DiskStore, Map<DiskKey, unknown>>()
  private sorted = new Map<DiskStore, DiskKey[] | null>()

  constructor(name: string) {
    this.name = name
    for (const s of DISK_STORES) {
      this.stores.set(s, new Map())
      this.sorted.set(s, null)
    }
  }

  async get(store: DiskStore, key: DiskKey): Promise<unknown | undefined> {
    return this.store(store).get(key)
  }

  async getRange(store: DiskStore, range: DiskRange = {}): Promise<DiskEntry[]> {
    const map = this.store(store)
    const out: DiskEntry[] = []
    const limit = range.limit ?? Number.POSITIVE_INFINITY
    for (const key of this.sortedKeys(store)) {
      if (range.lower !== undefined && compareDiskKeys(key, range.lower) < 0) continue
      if (range.upper !== undefined && compareDiskKeys(key, range.upper) > 0) break
      out.push({ key, value: map.get(key) })
      if (out.length >= limit) break
    }
    return out
  }

  async commit(ops: readonly DiskOp[]): Promise<void> {
    if (ops.length === 0) return
    this.hooks.beforeCommit?.(ops)
    // Structured-clone semantics: what is stored is a copy, as in IndexedDB.
    for (const op of ops) {
      const map = this.store(op.store)
      if (op.type === 'put') {
        if (!map.has(op.key)) this.sorted.set(op.store, null)
        map.set(op.key, structuredClone(op.value))
      } else if (op.type === 'delete') {
        if (map.delete(op.key)) this.sorted.set(op.store, null)
      } else {
        for (const key of [...map.keys()]) {
          if (compareDiskKeys(key, op.lower) >= 0 && compareDiskKeys(key, op.upper) <= 0) map.delete(key)
        }
        this.sorted.set(op.store, null)
      }
    }
    this.commits++
  }

  close(): void {}

  async destroy(): Promise<void> {
    for (const s of DISK_STORES) {
      this.stores.set(s, new Map())
      this.sorted.set(s, null)
    }
  }

  /** Total entries in a store (for tests and inspection). */
  size(store: DiskStore): number {
    return this.store(store).size
  }

  private store(store: DiskStore): Map<DiskKey, unknown> {
    const m = this.stores.get(store)
    if (!m) throw dbError('INTERNAL', `unknown store ${store}`)
    return m
  }

  private sortedKeys(store: DiskStore): DiskKey[] {
    let keys = this.sorted.get(store)
    if (!keys) {
      keys = [...this.store(store).keys()].sort(compareDiskKeys)
      this.sorted.set(store, keys)
    }
    return keys
  }
}
