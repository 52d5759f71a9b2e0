/**
 * Node-level group commit. Everything that must become durable together — rows, replication-log
 * entries, hints and the node's metadata (clock, own seq, dot cloud) — is gathered while the previous
 * commit is in flight and written as one storage transaction. The metadata snapshot is taken when the
 * group commits, so it covers exactly the ops whose rows are in the same transaction. Under load a
 * group waits an adaptive batching window (adaptiveWindow.ts, the node's timers) before it commits,
 * so that more writes share its transaction.
 */
import type { AdaptiveWindow } from '../batching/adaptiveWindow'
import type { DiskOp } from '../disk/disk'
import type { Timers } from '../env'
import type { LogEntry } from '../replication/replicationLog'
import type { KeyedRecord, StorageEngine } from '../storage/engine'

type Dot = { origin: string; seq: number }

export interface GroupPart {
  records?: KeyedRecord[]
  diskOps?: DiskOp[]
  /** Ops (origin, seq) this part marks as seen once durable. */
  dots?: Dot[]
  /** New replication-log entries; the whole group's are persisted as one record. */
  logEntries?: LogEntry[]
}

interface Group {
  records: Map<string, KeyedRecord>
  diskOps: DiskOp[]
  dots: Dot[]
  logEntries: LogEntry[]
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>
}

export interface WriteGroupHooks {
  /**
   * What a group adds when it commits: Disk ops (its log-entries record) and the metadata snapshot.
   * `withRows`: the group writes rows, so the snapshot can ride in their WAL record (`attach`);
   * otherwise it must be among the ops.
   */
  extraFor(
    dots: readonly Dot[],
    logEntries: readonly LogEntry[],
    withRows: boolean,
  ): { ops: DiskOp[]; attach?: unknown }
  /** Called once a group is durable, before its writers resume. */
  onDurable(dots: readonly Dot[], records: readonly KeyedRecord[], logEntries: readonly LogEntry[]): void
  /** Called when a group's commit failed (nothing of it is durable). */
  onFailed(logEntries: readonly LogEntry[], records: readonly KeyedRecord[]): void
}

/** The optional batching window of node group commits, and the timers to wait it with. */
export interface GroupWindow {
  window: AdaptiveWindow
  timers: Timers
}

export class WriteGroups {
  private open: Group | null = null
  private busy = false
  /** A window timer is pending for the open group. */
  private waiting = false
  private waitedMs = 0
  commits = 0
  /** Parts with rows added (commits / rowParts = transactions per write). */
  rowParts = 0

  constructor(
    private readonly engine: StorageEngine,
    private readonly hooks: WriteGroupHooks,
    readonly batching?: GroupWindow,
  ) {}

  /** Resolves once the part is durable. */
  add(part: GroupPart): Promise<void> {
    if (part.records?.length) {
      this.rowParts++
      this.batching?.window.note()
    }
    if (!this.open) {
      this.open = { records: new Map(), diskOps: [], dots: [], logEntries: [], waiters: [] }
      if (!this.busy) this.schedule()
    }
    const g = this.open
    for (const r of part.records ?? []) g.records.set(r.key, r)
    if (part.diskOps) g.diskOps.push(...part.diskOps)
    if (part.dots) g.dots.push(...part.dots)
    if (part.logEntries) g.logEntries.push(...part.logEntries)
    return new Promise((resolve, reject) => g.waiters.push({ resolve, reject }))
  }

  private lazy: DiskOp[] = []

  /**
   * Disk ops that may wait: they ride along with the next commit instead of costing a transaction of
   * their own (replication-log prunes, delivered hints — losing them in a crash only means a
   * harmless resend). `flushLazy` commits them when nothing else has for a while.
   */
  addLazy(ops: readonly DiskOp[]): void {
    this.lazy.push(...ops)
  }

  /** Commits waiting lazy ops now (called periodically). */
  flushLazy(): void {
    if (this.lazy.length > 0 && !this.busy && !this.open) void this.add({}).catch(() => {})
  }

  get lazyCount(): number {
    return this.lazy.length
  }

  /** True while a commit is running or a group is waiting. */
  get idle(): boolean {
    return !this.busy && !this.open && this.lazy.length === 0
  }

  /** Commits the open group after the batching window (a microtask when it is shut). */
  private schedule(): void {
    if (this.waiting) return
    const ms = this.batching?.window.windowMs() ?? 0
    this.waitedMs = ms
    if (ms <= 0) {
      queueMicrotask(() => void this.commitNext())
      return
    }
    this.waiting = true
    this.batching?.timers.set(ms, () => {
      this.waiting = false
      void this.commitNext()
    })
  }

  private async commitNext(): Promise<void> {
    const g = this.open
    if (!g || this.busy || this.waiting) return
    this.batching?.window.batchDone(this.waitedMs, g.waiters.length)
    this.waitedMs = 0
    this.open = null
    this.busy = true
    const records = [...g.records.values()]
    const lazy = this.lazy
    this.lazy = []
    try {
      const extra = this.hooks.extraFor(g.dots, g.logEntries, records.length > 0)
      await this.engine.write(records, [...lazy, ...g.diskOps, ...extra.ops], extra.attach)
      this.commits++
      this.hooks.onDurable(g.dots, records, g.logEntries)
      for (const w of g.waiters) w.resolve()
    } catch (e) {
      this.lazy.unshift(...lazy)
      this.hooks.onFailed(g.logEntries, records)
      for (const w of g.waiters) w.reject(e)
    } finally {
      this.busy = false
      // Writes that arrived during the commit form the next group at once: they have waited already.
      if (this.open) void this.commitNext()
    }
  }
}
