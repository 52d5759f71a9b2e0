/**
 * Storage faults a user can inject into one node's disk (what a real disk can do to a database):
 * slow commits (added latency before each commit is applied), failing commits (a rate of aborted
 * transactions, as IndexedDB aborts one), quota exhaustion (the disk accepts so many more bytes, then
 * refuses every commit with QUOTA_EXCEEDED) and a torn WAL tail on kill (the commit in flight when the
 * node dies leaves a half-written WAL record, which recovery must detect and drop).
 *
 * A wrapper over any Disk, with randomness and time injected, so the simulator and the workers run
 * the same faults. A failed commit applies nothing (as an aborted transaction), so the engine's
 * contract holds: a write whose commit failed is refused with a coded error, never acknowledged.
 */
import { dbError } from '../errors'
import type { Random } from '../random'
import { estimateBytes } from '../storage/recordSize'
import type { Disk, DiskEntry, DiskKey, DiskOp, DiskRange, DiskStore } from './disk'

export interface DiskFaults {
  /** Added latency before every commit is applied (ms, 0 = none). */
  commitDelayMs: number
  /** Fraction of commits aborted (0..1). */
  commitFailRate: number
  /** Bytes the disk still accepts from when the fault was set; null = no quota fault. */
  quotaBytes: number | null
  /** On kill, a commit still in flight leaves a torn (unreadable) WAL record behind. */
  tornTailOnKill: boolean
}

export const NO_DISK_FAULTS: Readonly<DiskFaults> = Object.freeze({
  commitDelayMs: 0,
  commitFailRate: 0,
  quotaBytes: null,
  tornTailOnKill: false,
})

/** Delays above this are a mistake, not a slow disk (the node's request timeouts are seconds). */
export const COMMIT_DELAY_MS_MAX = 10_000

export interface DiskFaultStats {
  commits: number
  failedCommits: number
  delayedCommits: number
  quotaRefusals: number
  /** Bytes committed since the quota fault was set (0 without one). */
  quotaUsedBytes: number
  tornTails: number
}

export function emptyDiskFaultStats(): DiskFaultStats {
  return {
    commits: 0,
    failedCommits: 0,
    delayedCommits: 0,
    quotaRefusals: 0,
    quotaUsedBytes: 0,
    tornTails: 0,
  }
}

/** True when no fault is set. */
export function noDiskFaults(f: DiskFaults): boolean {
  return f.commitDelayMs === 0 && f.commitFailRate === 0 && f.quotaBytes === null && !f.tornTailOnKill
}

/** Validates a partial fault update over `current`; BAD_INPUT names the bad field, nothing changes. */
export function mergeDiskFaults(current: DiskFaults, update: unknown): DiskFaults {
  if (typeof update !== 'object' || update === null || Array.isArray(update))
    throw dbError('BAD_INPUT', 'disk faults are an object such as { commitDelayMs: 50 }')
  const u = update as Record<string, unknown>
  const known = new Set(Object.keys(NO_DISK_FAULTS))
  for (const k of Object.keys(u))
    if (!known.has(k))
      throw dbError('BAD_INPUT', `unknown disk fault "${k}" (known: ${[...known].join(', ')})`, { field: k })
  const out = { ...current }
  if ('commitDelayMs' in u) {
    const v = u.commitDelayMs
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > COMMIT_DELAY_MS_MAX)
      throw dbError('BAD_INPUT', `commitDelayMs must be a number from 0 to ${COMMIT_DELAY_MS_MAX} ms`, {
        field: 'commitDelayMs',
      })
    out.commitDelayMs = v
  }
  if ('commitFailRate' in u) {
    const v = u.commitFailRate
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
      throw dbError('BAD_INPUT', 'commitFailRate is a fraction from 0 to 1 (0.1 = 10% of commits abort)', {
        field: 'commitFailRate',
      })
    out.commitFailRate = v
  }
  if ('quotaBytes' in u) {
    const v = u.quotaBytes
    if (v !== null && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0))
      throw dbError('BAD_INPUT', 'quotaBytes is a whole number of bytes ≥ 0, or null for no quota fault', {
        field: 'quotaBytes',
      })
    out.quotaBytes = v as number | null
  }
  if ('tornTailOnKill' in u) {
    if (typeof u.tornTailOnKill !== 'boolean')
      throw dbError('BAD_INPUT', 'tornTailOnKill is true or false', { field: 'tornTailOnKill' })
    out.tornTailOnKill = u.tornTailOnKill
  }
  return out
}

export interface FaultyDiskDeps {
  /** The node's seeded randomness. */
  random: Random
  /** Resolves after `ms` of the node's time (virtual in the simulator). */
  sleep: (ms: number) => Promise<void>
}

/** The bytes a commit adds (puts' keys and values, estimated as the engine estimates them). */
function commitBytes(ops: readonly DiskOp[]): number {
  let bytes = 0
  for (const op of ops) if (op.type === 'put') bytes += estimateBytes(op.key) + estimateBytes(op.value)
  return bytes
}

/**
 * What the node asked of its disk since this incarnation opened it: point reads, range reads (and
 * the entries they returned), commits, and the puts and deletes in them per store. Cheap counters:
 * they tell where a workload's storage cost goes (a read-before-write that reaches IndexedDB, a
 * bigger WAL) without a profiler.
 */
export interface DiskIo {
  gets: Partial<Record<DiskStore, number>>
  rangeReads: Partial<Record<DiskStore, number>>
  rangeEntries: number
  commits: number
  puts: Partial<Record<DiskStore, number>>
  deletes: number
}

export function emptyDiskIo(): DiskIo {
  return { gets: {}, rangeReads: {}, rangeEntries: 0, commits: 0, puts: {}, deletes: 0 }
}

const bump = (m: Partial<Record<DiskStore, number>>, store: DiskStore, n = 1): void => {
  m[store] = (m[store] ?? 0) + n
}

export class FaultyDisk implements Disk {
  readonly name: string
  private faults: DiskFaults
  /** Counters; pass the previous incarnation's to keep them across restarts (same disk). */
  readonly stats: DiskFaultStats
  /** Reads and writes asked of the disk by this incarnation (not kept across restarts). */
  readonly io: DiskIo = emptyDiskIo()
  private readonly inFlight = new Set<readonly DiskOp[]>()
  private crashed = false

  constructor(
    private readonly inner: Disk,
    private readonly deps: FaultyDiskDeps,
    faults: DiskFaults = NO_DISK_FAULTS,
    stats: DiskFaultStats = emptyDiskFaultStats(),
  ) {
    this.name = inner.name
    this.faults = { ...faults }
    this.stats = stats
  }

  get current(): DiskFaults {
    return { ...this.faults }
  }

  /** Replaces the faults (validated by mergeDiskFaults); a new quota counts from now. */
  setFaults(f: DiskFaults): void {
    if (f.quotaBytes !== this.faults.quotaBytes) this.stats.quotaUsedBytes = 0
    this.faults = { ...f }
  }

  get(store: DiskStore, key: DiskKey): Promise<unknown | undefined> {
    bump(this.io.gets, store)
    return this.inner.get(store, key)
  }

  getRange(store: DiskStore, range?: DiskRange): Promise<DiskEntry[]> {
    bump(this.io.rangeReads, store)
    return this.inner.getRange(store, range).then((entries) => {
      this.io.rangeEntries += entries.length
      return entries
    })
  }

  async commit(ops: readonly DiskOp[]): Promise<void> {
    if (this.crashed) return never()
    if (ops.length > 0) {
      this.io.commits++
      for (const op of ops)
        if (op.type === 'put') bump(this.io.puts, op.store)
        else this.io.deletes++
    }
    if (ops.length === 0 || noDiskFaults(this.faults)) {
      this.stats.commits++
      return this.inner.commit(ops)
    }
    const f = this.faults
    const bytes = f.quotaBytes === null ? 0 : commitBytes(ops)
    if (f.quotaBytes !== null && this.stats.quotaUsedBytes + bytes > f.quotaBytes) {
      this.stats.quotaRefusals++
      throw dbError(
        'QUOTA_EXCEEDED',
        `the disk is full (injected fault: a quota of ${f.quotaBytes} bytes, ${this.stats.quotaUsedBytes} used; this commit needs ${bytes} more)`,
        { injected: true },
      )
    }
    this.inFlight.add(ops)
    try {
      if (f.commitDelayMs > 0) {
        this.stats.delayedCommits++
        await this.deps.sleep(f.commitDelayMs)
      }
      // A node killed while this commit waited never finishes it (its torn tail, if any, is written).
      if (this.crashed) return never()
      if (f.commitFailRate > 0 && this.deps.random.next() < f.commitFailRate) {
        this.stats.failedCommits++
        throw dbError(
          'STORAGE_UNAVAILABLE',
          `the storage transaction was aborted (injected fault: ${Math.round(f.commitFailRate * 100)}% of commits fail); nothing of it was written`,
          { injected: true },
        )
      }
      await this.inner.commit(ops)
      this.stats.commits++
      if (f.quotaBytes !== null) this.stats.quotaUsedBytes += bytes
    } finally {
      this.inFlight.delete(ops)
    }
  }

  /**
   * The node dies now: no commit of this incarnation completes after this. With `tornTailOnKill`, the
   * WAL record of a commit still in flight is left behind half-written (columns present, checksum
   * wrong), as a power cut mid-write leaves it; its other ops (metadata, log) are lost, as they would
   * be with the transaction. Resolves with whether a torn record was written.
   */
  async crash(): Promise<boolean> {
    this.crashed = true
    if (!this.faults.tornTailOnKill) return false
    const torn: DiskOp[] = []
    for (const ops of this.inFlight)
      for (const op of ops)
        if (op.type === 'put' && op.store === 'wal' && typeof op.value === 'object' && op.value !== null)
          torn.push({ ...op, value: tearRecord(op.value as Record<string, unknown>) })
    this.inFlight.clear()
    if (torn.length === 0) return false
    // Only the newest record can be the torn tail of a log (earlier ones were durable before it).
    torn.sort((a, b) => Number((a as { key: DiskKey }).key) - Number((b as { key: DiskKey }).key))
    await this.inner.commit([torn[torn.length - 1]])
    this.stats.tornTails++
    return true
  }

  close(): void {
    this.inner.close()
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

/** A WAL record whose last half never reached the disk: a wrong checksum and a cut key column. */
function tearRecord(rec: Record<string, unknown>): Record<string, unknown> {
  const keys = Array.isArray(rec.keys) ? rec.keys.slice(0, Math.ceil(rec.keys.length / 2)) : []
  const crc = typeof rec.crc === 'number' ? rec.crc ^ 0x5a5a5a5a : 0
  return { ...rec, keys, crc }
}

function never(): Promise<never> {
  return new Promise(() => {})
}
