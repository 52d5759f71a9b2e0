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
    const keys = this.sortedKeys(store)
    for (let i = range.lower === undefined ? 0 : lowerBound(keys, range.lower); i < keys.length; i++) {
      const key = keys[i]
      if (range.upper !== undefined && compareDiskKeys(key, range.upper) > 0) break
      out.push({ key, value: map.get(key) })
      if (out.length >= limit) break
    }
    return out
  }

  async commit(ops: readonly DiskOp[]): Promise<void> {
    if (ops.length === 0) return
    this.hooks.beforeCommit?.(ops)
    // Clone every value before applying any, so a value that cannot be stored fails the whole
    // commit atomically, as an IndexedDB transaction would.
    const values = ops.map((op) => (op.type === 'put' ? cloneValue(op.value) : undefined))
    // Structured-clone semantics: what is stored is a copy, as in IndexedDB.
    ops.forEach((op, i) => {
      const map = this.store(op.store)
      if (op.type === 'put') {
        if (!map.has(op.key)) this.noteNewKey(op.store, op.key)
        map.set(op.key, values[i])
      } else if (op.type === 'delete') {
        if (map.delete(op.key)) this.sorted.set(op.store, null)
      } else {
        const keys = this.sortedKeys(op.store)
        const from = lowerBound(keys, op.lower)
        let to = from
        while (to < keys.length && compareDiskKeys(keys[to], op.upper) <= 0) map.delete(keys[to++])
        keys.splice(from, to - from)
      }
    })
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

  /** Keeps the sorted key list valid for the common append-in-order case (WAL seqs, log seqs). */
  private noteNewKey(store: DiskStore, key: DiskKey): void {
    const keys = this.sorted.get(store)
    if (keys && (keys.length === 0 || compareDiskKeys(keys[keys.length - 1], key) < 0)) keys.push(key)
    else this.sorted.set(store, null)
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

/** Index of the first key ≥ `key` in a sorted list. */
function lowerBound(keys: readonly DiskKey[], key: DiskKey): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (compareDiskKeys(keys[mid], key) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A copy with IndexedDB's structured-clone semantics for the values nodes store (plain objects,
 * arrays, strings, numbers, typed arrays), several times faster than structuredClone for small
 * records, which dominates simulator time. Anything else falls back to structuredClone.
 */
export function cloneValue<T>(v: T): T {
  if (typeof v === 'function' || typeof v === 'symbol')
    throw dbError('BAD_INPUT', `a ${typeof v} cannot be stored`)
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(cloneValue) as T
  if (ArrayBuffer.isView(v)) return (v as unknown as Uint8Array).slice() as T
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return structuredClone(v)
  const out: Record<string, unknown> = {}
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k]
    if (x !== undefined) out[k] = cloneValue(x)
  }
  return out as T
}
