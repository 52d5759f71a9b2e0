/**
 * The LSM storage engine: WAL with group commit → red-black memtable → immutable memtable flushed to
 * an SSTable in one Disk commit (blocks + meta + manifest + WAL truncation + flush-hook ops) → leveled
 * compaction in the background, started by the engine itself after a flush (no timers).
 */
import { AdaptiveWindow } from '../batching/adaptiveWindow'
import type { Disk, DiskOp } from '../disk/disk'
import { type DbErrorData, dbError, toErrorData } from '../errors'
import { applyCompaction, type CompactionPlan, fullCompactionPlan, pickCompaction } from './compactionPlanner'
import { runCompaction } from './compactionRunner'
import type {
  CorruptBlock,
  KeyedRecord,
  ScanOptions,
  StorageEngine,
  StorageInspection,
  StorageOptions,
  StoredRecord,
} from './engine'
import { inspectLsm } from './lsmInspection'
import { type LsmOptions, type LsmTuning, resolveLsmOptions } from './lsmOptions'
import { getFromView, peekFromView, type ReadView, scanView } from './lsmReads'
import { manifestPut } from './manifest'
import { Memtable } from './memtable'
import { loadLsmState } from './recovery'
import { TableBuilder } from './tableBuilder'
import { metaKey, type PendingTableMarker, type TableMeta, tableDeleteOps } from './tableFormat'
import { isBlockGone, TableReader } from './tableReader'
import { WalWriter } from './walWriter'
import { checkKey, prepareBatch, toStorageError } from './writeBatch'

/** A StorageEngine plus hooks for tests and the inspector. */
export interface LsmEngine extends StorageEngine {
  /** Resolves once no WAL group, flush or compaction is running. */
  whenIdle(): Promise<void>
  /** The last background flush/compaction failure (cleared by the next successful flush). */
  readonly backgroundError: DbErrorData | undefined
}

/** Creates an LSM engine over `disk`; call open() before use. The engine never closes the disk. */
export function createLsmEngine(disk: Disk, options: LsmOptions): LsmEngine {
  return new LsmTree(disk, resolveLsmOptions(options))
}

const READ_RETRIES_MAX = 8
const BACKGROUND_COMPACTIONS_MAX = 16
const noop = (): void => {}

export interface CompactionRecord {
  atMs: number
  fromLevel: number
  toLevel: number
  tablesIn: number
  entriesIn: number
  entriesOut: number
  bytesOut: number
}

/** Memtable entries a flush builds between two block writes (bench:worker, 1024 in flight: 2000 → 11.4–12.3k ops/s, 500 → 13.9–14.6k, 200 → 13.3–14.4k; base 14.2–16.4k). */
const FLUSH_CHUNK_ENTRIES = 500

class LsmTree implements LsmEngine {
  backgroundError: DbErrorData | undefined
  // Read by inspectLsm.
  active = new Memtable()
  immutable: Memtable | null = null
  levels: TableMeta[][] = [[]]
  flushedSeq = 0
  userBytes = 0
  diskBytes = 0
  readonly history: CompactionRecord[] = []
  readonly walTail: Array<{ seq: number; key: string; tombstone: boolean }> = []
  readonly tables: TableReader
  private state: 'new' | 'opening' | 'open' | 'closed' = 'new'
  private nextTableId = 1
  private readonly wal: WalWriter
  private flushHook: (dropped: unknown) => readonly DiskOp[] = () => []
  private corruptionHook: (c: CorruptBlock) => void = noop
  corruptBlocksFound = 0
  walTailDropped = 0
  private flushTask: Promise<void> | null = null
  private compactionTask: Promise<void> | null = null
  private manifestQueue: Promise<void> = Promise.resolve()
  private readonly compactionCursors = new Map<number, string>()
  private readonly disk: Disk
  readonly opts: StorageOptions & LsmTuning

  constructor(disk: Disk, opts: StorageOptions & LsmTuning) {
    this.disk = disk
    this.opts = opts
    this.tables = new TableReader(disk, opts.blockCacheBytesMax)
    this.tables.nowMs = opts.nowMs
    this.tables.onCorrupt = (c) => {
      this.corruptBlocksFound++
      this.corruptionHook(c)
    }
    const timers = opts.timers
    this.wal = new WalWriter(
      disk,
      {
        apply: (firstSeq, keys, records, bytes, attach) =>
          this.applyGroup(firstSeq, keys, records, bytes, attach),
        beforeGroup: () => this.stallForFlush(),
      },
      1,
      timers && (opts.batchWindowMsMax ?? 0) > 0
        ? {
            window: new AdaptiveWindow({ nowMs: opts.nowMs }, () => opts.batchWindowMsMax ?? 0),
            timers,
          }
        : undefined,
    )
  }

  async open(): Promise<{ replayed: KeyedRecord[]; attachments: unknown[] }> {
    if (this.state !== 'new') throw dbError('BAD_INPUT', 'open() may be called once')
    this.state = 'opening'
    let loaded: Awaited<ReturnType<typeof loadLsmState>>
    try {
      loaded = await loadLsmState(this.disk)
    } catch (e) {
      this.state = 'new' // the owner may retry open() once the disk is usable
      throw e
    }
    this.levels = loaded.levels
    this.nextTableId = loaded.nextTableId
    this.flushedSeq = loaded.flushedSeq
    this.wal.nextSeq = loaded.nextSeq
    this.walTailDropped = loaded.walTailDropped
    for (const { key, record, seq, bytes } of loaded.wal) {
      this.active.put(key, record, seq)
      this.active.walEntries++
      this.active.walBytes += bytes
    }
    // The replayed records are in the active memtable now: a flush of it drops them.
    this.active.attach = loaded.attachments[loaded.attachments.length - 1]
    this.state = 'open'
    this.maybeFlush()
    this.maybeCompact()
    return {
      replayed: loaded.wal.map(({ key, record }) => ({ key, record })),
      attachments: loaded.attachments,
    }
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    this.assertOpen()
    checkKey(key)
    for (let attempt = 0; ; attempt++) {
      try {
        return await getFromView(this.view(), key)
      } catch (e) {
        if (!isBlockGone(e) || attempt >= READ_RETRIES_MAX) throw toStorageError(e)
      }
    }
  }

  peek(key: string): { record: StoredRecord | undefined } | null {
    this.assertOpen()
    checkKey(key)
    return peekFromView(this.view(), key)
  }

  write(batch: readonly KeyedRecord[], extra: readonly DiskOp[] = [], attach?: unknown): Promise<void> {
    try {
      this.assertOpen()
      const prepared = prepareBatch(batch, extra, this.opts.valueBytesMax, this.opts.nowMs())
      if (attach !== undefined && prepared.keys.length === 0)
        throw dbError('BAD_INPUT', 'an attachment rides in a WAL record: it needs a non-empty batch')
      if (prepared.keys.length === 0 && extra.length === 0) return Promise.resolve()
      return this.wal.submit(prepared, extra, attach)
    } catch (e) {
      return Promise.reject(e)
    }
  }

  async scan(opts: ScanOptions = {}): Promise<KeyedRecord[]> {
    this.assertOpen()
    if (opts.start !== undefined) checkKey(opts.start)
    if (opts.end !== undefined && typeof opts.end !== 'string')
      throw dbError('BAD_INPUT', 'scan end must be a string')
    for (let attempt = 0; ; attempt++) {
      try {
        return await scanView(this.view(), opts)
      } catch (e) {
        if (!isBlockGone(e) || attempt >= READ_RETRIES_MAX) throw toStorageError(e)
      }
    }
  }

  setFlushHook(hook: (dropped: unknown) => readonly DiskOp[]): void {
    this.flushHook = hook
  }

  setCorruptionHook(hook: (c: CorruptBlock) => void): void {
    this.corruptionHook = hook
  }

  async flush(): Promise<void> {
    this.assertOpen()
    await this.wal.idle()
    const target = this.active
    for (let i = 0; i < 4; i++) {
      if (this.flushTask) {
        await this.flushTask.catch(noop)
        continue
      }
      if ((this.active !== target && this.immutable !== target) || target.entries === 0) return
      await this.startFlush()
    }
  }

  async compact(): Promise<void> {
    this.assertOpen()
    for (let i = 0; i < 32 && this.compactionTask; i++) await this.compactionTask
    if (this.compactionTask) return
    const plan = fullCompactionPlan(this.levels)
    if (!plan) return
    const task = this.compactPlan(plan)
    const settled = task.then(noop, noop)
    this.compactionTask = settled
    void settled.then(() => {
      if (this.compactionTask === settled) this.compactionTask = null
      this.maybeCompact()
    })
    await task
  }

  inspect(): StorageInspection {
    return {
      ...inspectLsm(this),
      groupCommit: {
        windowMs: this.wal.batching?.window.windowMs() ?? 0,
        windowMsMax: this.wal.batching ? (this.opts.batchWindowMsMax ?? 0) : 0,
        groups: this.wal.groupsCommitted,
        writes: this.wal.writesSubmitted,
      },
    }
  }

  async whenIdle(): Promise<void> {
    for (let i = 0; i < 64; i++) {
      await this.wal.idle()
      const task = this.flushTask ?? this.compactionTask
      if (!task) return
      await task.catch(noop)
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return
    this.state = 'closed'
    await this.whenIdle()
  }

  /** The current memtables and levels, captured together (reads retry with a new view if a table vanishes). */
  private view(): ReadView {
    return {
      memtables: this.immutable ? [this.active, this.immutable] : [this.active],
      levels: this.levels,
      tables: this.tables,
    }
  }

  private assertOpen(): void {
    if (this.state !== 'open')
      throw dbError(
        'STORAGE_UNAVAILABLE',
        `storage engine is ${this.state === 'closed' ? 'closed' : 'not open'}`,
      )
  }

  private applyGroup(
    firstSeq: number,
    keys: readonly string[],
    records: readonly StoredRecord[],
    bytes: number,
    attach: unknown,
  ): void {
    const mem = this.active
    if (attach !== undefined) mem.attach = attach
    for (let i = 0; i < keys.length; i++) {
      mem.put(keys[i], records[i], firstSeq + i)
      this.walTail.push({ seq: firstSeq + i, key: keys[i], tombstone: records[i].tombstone })
    }
    if (this.walTail.length > 64) this.walTail.splice(0, this.walTail.length - 32)
    mem.walEntries += keys.length
    mem.walBytes += bytes
    this.userBytes += bytes
    this.diskBytes += bytes
    this.maybeFlush()
  }

  private stallForFlush(): Promise<void> | undefined {
    const over = this.active.bytes >= this.opts.memtableBytesMax * this.opts.memtableStallFactor
    return over && this.flushTask ? this.flushTask.catch(noop) : undefined
  }

  private allocateTableId(): number {
    return this.nextTableId++
  }

  private withManifestLock(fn: () => Promise<void>): Promise<void> {
    const run = this.manifestQueue.then(fn)
    this.manifestQueue = run.then(noop, noop)
    return run
  }

  private maybeFlush(): void {
    if (this.flushTask || this.state !== 'open') return
    if (this.immutable || this.active.bytes >= this.opts.memtableBytesMax) this.startFlush().catch(noop)
  }

  private startFlush(): Promise<void> {
    if (this.flushTask) return this.flushTask
    if (!this.immutable) {
      if (this.active.entries === 0) return Promise.resolve()
      this.immutable = this.active
      this.active = new Memtable()
    }
    const task = this.flushMemtable(this.immutable)
    this.flushTask = task
    const settle = (e?: unknown): void => {
      this.backgroundError = e === undefined ? undefined : toErrorData(toStorageError(e))
      if (this.flushTask === task) this.flushTask = null
    }
    task.then(() => settle(), settle)
    return task
  }

  private async flushMemtable(mem: Memtable): Promise<void> {
    const builder = new TableBuilder(this.allocateTableId(), this.opts.blockBytesMax)
    // Blocks go to disk in small transactions while the table is built, behind a pending marker
    // (an unpublished table the next open deletes, as for a crashed compaction): one 4 MiB
    // transaction built in one go held every write ~0.65 s (bench:worker, 1024 in flight).
    const marker: PendingTableMarker = { id: builder.id, pending: true }
    await this.disk
      .commit([{ type: 'put', store: 'sst', key: metaKey(builder.id), value: marker }])
      .catch((e) => Promise.reject(toStorageError(e)))
    let sinceWrite = 0
    for (const [key, record] of mem.tree.entries()) {
      builder.add(key, record)
      if (++sinceWrite < FLUSH_CHUNK_ENTRIES) continue
      sinceWrite = 0
      const chunk = builder.takeBlockOps()
      if (chunk.length > 0) await this.disk.commit(chunk).catch((e) => Promise.reject(toStorageError(e)))
    }
    const built = builder.finish(this.opts.nowMs(), this.opts.bloomBitsPerKey)
    await this.withManifestLock(async () => {
      const levels = [[built.meta, ...(this.levels[0] ?? [])], ...this.levels.slice(1)]
      const flushedSeq = Math.max(this.flushedSeq, mem.maxSeq)
      const ops: DiskOp[] = [
        ...built.blockOps,
        built.metaOp,
        manifestPut(levels, this.nextTableId, flushedSeq),
      ]
      if (mem.maxSeq > 0) ops.push({ type: 'deleteRange', store: 'wal', lower: 0, upper: mem.maxSeq })
      ops.push(...this.flushHook(mem.attach))
      await this.disk.commit(ops).catch((e) => Promise.reject(toStorageError(e)))
      this.levels = levels
      this.flushedSeq = flushedSeq
      this.diskBytes += built.meta.bytes
    })
    if (this.immutable === mem) this.immutable = null
    this.maybeCompact()
  }

  private maybeCompact(): void {
    if (this.compactionTask || this.state !== 'open') return
    if (!pickCompaction(this.levels, this.opts, this.compactionCursors)) return
    this.compactionTask = this.runBackgroundCompactions()
  }

  private async runBackgroundCompactions(): Promise<void> {
    try {
      for (let i = 0; i < BACKGROUND_COMPACTIONS_MAX && this.state === 'open'; i++) {
        const plan = pickCompaction(this.levels, this.opts, this.compactionCursors)
        if (!plan) break
        await this.compactPlan(plan)
      }
    } catch (e) {
      this.backgroundError = toErrorData(toStorageError(e))
    } finally {
      this.compactionTask = null
    }
  }

  private async compactPlan(plan: CompactionPlan): Promise<void> {
    const out = await runCompaction(plan, {
      openCursor: (t) => this.tables.cursor(t, undefined, false),
      allocateTableId: () => this.allocateTableId(),
      stage: (ops) => this.disk.commit(ops),
      nowMs: this.opts.nowMs(),
      tombstoneGraceMs: this.opts.tombstoneGraceMs,
      blockBytesMax: this.opts.blockBytesMax,
      tableBytesTarget: this.opts.tableBytesTarget,
      bloomBitsPerKey: this.opts.bloomBitsPerKey,
    })
    const gone = new Set(plan.inputs.map((t) => t.id))
    await this.withManifestLock(async () => {
      const levels = applyCompaction(this.levels, plan, out.tables)
      const deletes = plan.inputs.flatMap((t) => tableDeleteOps(t.id))
      await this.disk.commit([
        ...out.metaOps,
        manifestPut(levels, this.nextTableId, this.flushedSeq),
        ...deletes,
      ])
      this.levels = levels
    })
    this.tables.evictTables(gone)
    if (plan.cursorKey !== undefined) this.compactionCursors.set(plan.fromLevel, plan.cursorKey)
    this.diskBytes += out.bytesOut
    this.history.push({
      atMs: this.opts.nowMs(),
      fromLevel: plan.fromLevel,
      toLevel: plan.toLevel,
      tablesIn: plan.inputs.length,
      entriesIn: out.entriesIn,
      entriesOut: out.entriesOut,
      bytesOut: out.bytesOut,
    })
    if (this.history.length > this.opts.compactionHistoryMax) this.history.shift()
  }
}
