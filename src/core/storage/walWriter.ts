/**
 * The write-ahead log with group commit. Writes queue up; one drain loop commits everything queued so
 * far as ONE Disk commit (one WAL record keyed by its first sequence number, plus every writer's extra
 * ops), then applies it to the memtable and resolves the writers. Writes arriving while a commit is in
 * flight form the next group, so concurrent writers share transactions. Up to `inFlightMax` groups are
 * committing at once (pipelining hides the IndexedDB round trip); they are applied in log order. A
 * failed commit rejects its writers and applies nothing. With a batching window (adaptiveWindow.ts)
 * and the host's timers, a group under load waits a few ms before it is cut, to gather more writers.
 */
import type { AdaptiveWindow } from '../batching/adaptiveWindow'
import type { Disk, DiskOp } from '../disk/disk'
import type { Timers } from '../env'
import { attachChecksum, type Columns, columnsChecksum } from './checksum'
import type { StoredRecord } from './engine'
import { type PreparedBatch, toStorageError } from './writeBatch'

/**
 * The value stored under a WAL key (the group's first sequence number): columns and their CRC-32, and
 * the owner's attachment (StorageEngine.write) with its own CRC-32.
 */
export type WalRecord = Columns & { attach?: unknown; attachCrc?: number }

/** Encodes a group's records as a WAL record. */
export function encodeWalRecord(
  keys: string[],
  records: readonly StoredRecord[],
  attach?: unknown,
): WalRecord {
  const n = records.length
  const rec: WalRecord = {
    keys,
    values: new Array(n),
    metas: new Array(n),
    tombstones: new Uint8Array(n),
    writtenAtMs: new Float64Array(n),
  }
  for (let i = 0; i < n; i++) {
    const r = records[i]
    rec.values[i] = r.value
    rec.metas[i] = r.meta
    rec.tombstones[i] = r.tombstone ? 1 : 0
    rec.writtenAtMs[i] = r.writtenAtMs
  }
  rec.crc = columnsChecksum(rec)
  if (attach !== undefined) {
    rec.attach = attach
    rec.attachCrc = attachChecksum(attach)
  }
  return rec
}

/** Entry i of a WAL record. */
export function walRecordAt(rec: WalRecord, i: number): StoredRecord {
  return {
    value: rec.values[i],
    tombstone: rec.tombstones[i] === 1,
    meta: rec.metas[i],
    writtenAtMs: rec.writtenAtMs[i],
  }
}

export interface WalHooks {
  /** Applies a durable group to the memtable (entry i gets sequence number firstSeq + i). */
  apply(
    firstSeq: number,
    keys: readonly string[],
    records: readonly StoredRecord[],
    bytes: number,
    attach: unknown,
  ): void
  /** Awaited before each group, e.g. to stall writers while the memtable is far over budget. */
  beforeGroup(): Promise<void> | undefined
}

interface PendingWrite {
  batch: PreparedBatch
  extra: readonly DiskOp[]
  attach: unknown
  resolve: () => void
  reject: (e: Error) => void
}

/** Upper bound of writes merged into one commit (keeps a transaction and a WAL record bounded). */
const GROUP_WRITES_MAX = 4096
/** Microtask turns the drain waits so writers resumed by the previous group can join the next one. */
const GATHER_TURNS = 3

/** The optional batching window of group commits: the window and the host's timers to wait it with. */
export interface WalWindow {
  window: AdaptiveWindow
  timers: Timers
}

export class WalWriter {
  nextSeq = 1
  groupsCommitted = 0
  lastGroupWrites = 0
  /** Writes submitted (groupsCommitted / writesSubmitted = transactions per write). */
  writesSubmitted = 0
  private queue: PendingWrite[] = []
  private gathering = false
  private inFlight = 0
  /** Settles once every group started so far is applied or rejected (never rejects). */
  private applied: Promise<void> = Promise.resolve()
  private readonly disk: Disk
  private readonly hooks: WalHooks
  private readonly inFlightMax: number

  readonly batching: WalWindow | undefined

  constructor(disk: Disk, hooks: WalHooks, inFlightMax = 1, batching?: WalWindow) {
    this.disk = disk
    this.hooks = hooks
    this.inFlightMax = inFlightMax
    this.batching = batching
  }

  /** Queues a write; resolves once the group holding it is durable and applied. */
  submit(batch: PreparedBatch, extra: readonly DiskOp[], attach?: unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ batch, extra, attach, resolve, reject })
      this.writesSubmitted++
      this.batching?.window.note()
      this.pump()
    })
  }

  /** Resolves when no group is queued, gathering or in flight. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100_000 && (this.inFlight > 0 || this.gathering || this.queue.length > 0); i++) {
      await this.applied
      await null
    }
  }

  private pump(): void {
    if (this.gathering || this.queue.length === 0 || this.inFlight >= this.inFlightMax) return
    this.gathering = true
    void this.runGroup()
  }

  private async runGroup(): Promise<void> {
    for (let i = 0; i < GATHER_TURNS; i++) await null
    const waitedMs = await this.waitWindow()
    const stall = this.hooks.beforeGroup()
    if (stall) await stall
    this.gathering = false
    const group = this.queue.splice(0, GROUP_WRITES_MAX)
    this.batching?.window.batchDone(waitedMs, group.length)
    if (group.length === 0) return
    this.inFlight++
    const done = this.commitGroup(group, this.applied)
    this.applied = done
    this.pump()
    await done
    this.inFlight--
    this.pump()
  }

  /** Waits the batching window, if one is open; returns how long it waited (ms). */
  private async waitWindow(): Promise<number> {
    if (!this.batching) return 0
    const ms = this.batching.window.windowMs(this.queue.length)
    if (ms > 0) await new Promise<void>((resolve) => this.batching?.timers.set(ms, resolve))
    return ms
  }

  /**
   * Issues the group's commit at once (IndexedDB queues it behind the one in flight), then applies it
   * only after every earlier group, so the memtable sees groups in log order.
   */
  private async commitGroup(group: PendingWrite[], earlier: Promise<void>): Promise<void> {
    const keys: string[] = []
    const records: StoredRecord[] = []
    const ops: DiskOp[] = []
    let bytes = 0
    // Attachments are cumulative snapshots (the newest covers the older): the group keeps the last.
    let attach: unknown
    for (const w of group) {
      for (let i = 0; i < w.batch.keys.length; i++) {
        keys.push(w.batch.keys[i])
        records.push(w.batch.records[i])
      }
      bytes += w.batch.bytes
      if (w.attach !== undefined) attach = w.attach
    }
    // Sequence numbers are reserved now; a failed group leaves a gap, which replay tolerates.
    const firstSeq = this.nextSeq
    this.nextSeq += keys.length
    if (keys.length > 0)
      ops.push({ type: 'put', store: 'wal', key: firstSeq, value: encodeWalRecord(keys, records, attach) })
    for (const w of group) ops.push(...w.extra)
    let failure: Error | undefined
    try {
      await this.disk.commit(ops)
    } catch (e) {
      failure = toStorageError(e)
    }
    await earlier
    if (!failure) {
      try {
        if (keys.length > 0) this.hooks.apply(firstSeq, keys, records, bytes, attach)
        this.groupsCommitted++
        this.lastGroupWrites = group.length
      } catch (e) {
        failure = toStorageError(e)
      }
    }
    for (const w of group) {
      if (failure) w.reject(failure)
      else w.resolve()
    }
  }
}
