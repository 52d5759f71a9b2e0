/**
 * The write-ahead log with group commit. Writes queue up; one drain loop commits everything queued so
 * far as ONE Disk commit (one WAL record keyed by its first sequence number, plus every writer's extra
 * ops), then applies it to the memtable and resolves the writers. Writes arriving while a commit is in
 * flight form the next group, so concurrent writers share transactions. A failed commit rejects its
 * writers and applies nothing.
 */
import type { Disk, DiskOp } from '../disk/disk'
import type { StoredRecord } from './engine'
import { type PreparedBatch, toStorageError } from './writeBatch'

/** The value stored under a WAL key (the group's first sequence number). */
export interface WalRecord {
  keys: string[]
  records: StoredRecord[]
}

export interface WalHooks {
  /** Applies a durable group to the memtable (entry i gets sequence number firstSeq + i). */
  apply(firstSeq: number, keys: readonly string[], records: readonly StoredRecord[], bytes: number): void
  /** Awaited before each group, e.g. to stall writers while the memtable is far over budget. */
  beforeGroup(): Promise<void> | undefined
}

interface PendingWrite {
  batch: PreparedBatch
  extra: readonly DiskOp[]
  resolve: () => void
  reject: (e: Error) => void
}

/** Upper bound of writes merged into one commit (keeps a transaction and a WAL record bounded). */
const GROUP_WRITES_MAX = 4096
/** Microtask turns the drain waits so writers resumed by the previous group can join the next one. */
const GATHER_TURNS = 3

export class WalWriter {
  nextSeq = 1
  groupsCommitted = 0
  lastGroupWrites = 0
  private queue: PendingWrite[] = []
  private draining = false
  private drainDone: Promise<void> = Promise.resolve()
  private readonly disk: Disk
  private readonly hooks: WalHooks

  constructor(disk: Disk, hooks: WalHooks) {
    this.disk = disk
    this.hooks = hooks
  }

  /** Queues a write; resolves once the group holding it is durable and applied. */
  submit(batch: PreparedBatch, extra: readonly DiskOp[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ batch, extra, resolve, reject })
      if (!this.draining) {
        this.draining = true
        this.drainDone = this.drain()
      }
    })
  }

  /** Resolves when no group is queued or in flight. */
  async idle(): Promise<void> {
    while (this.draining) await this.drainDone
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        for (let i = 0; i < GATHER_TURNS; i++) await null
        const stall = this.hooks.beforeGroup()
        if (stall) await stall
        await this.commitGroup(this.queue.splice(0, GROUP_WRITES_MAX))
      }
    } finally {
      this.draining = false
    }
  }

  private async commitGroup(group: PendingWrite[]): Promise<void> {
    const keys: string[] = []
    const records: StoredRecord[] = []
    const ops: DiskOp[] = []
    let bytes = 0
    for (const w of group) {
      for (let i = 0; i < w.batch.keys.length; i++) {
        keys.push(w.batch.keys[i])
        records.push(w.batch.records[i])
      }
      bytes += w.batch.bytes
    }
    const firstSeq = this.nextSeq
    if (keys.length > 0)
      ops.push({ type: 'put', store: 'wal', key: firstSeq, value: { keys, records } satisfies WalRecord })
    for (const w of group) ops.push(...w.extra)
    try {
      await this.disk.commit(ops)
    } catch (e) {
      const err = toStorageError(e)
      for (const w of group) w.reject(err)
      return
    }
    this.nextSeq += keys.length
    this.groupsCommitted++
    this.lastGroupWrites = group.length
    try {
      if (keys.length > 0) this.hooks.apply(firstSeq, keys, records, bytes)
    } catch (e) {
      for (const w of group) w.reject(toStorageError(e))
      return
    }
    for (const w of group) w.resolve()
  }
}
