/**
 * Ops this node must still deliver: its own writes and the ops it relays along the topology. Each
 * entry lists the peers that have not acknowledged it; an entry is pruned only when that list is
 * empty (acknowledgements, not what this node happened to receive, drive pruning — the original's
 * bug). Entries persist in the Disk store 'replog' and survive restarts: all entries made durable by
 * one group commit share ONE record (IndexedDB's cost is per put as well as per transaction), which
 * is deleted when its last entry is pruned. Acknowledgements themselves are not persisted: after a
 * restart a peer may get an op again and discards it as a duplicate.
 */
import type { DiskOp } from '../disk/disk'
import type { NodeId, OpId } from '../ids'
import type { DotCloud } from './dotCloud'
import { checkNodeIds, checkStoredOp, corrupt, describeValue, isCount, isRecord } from './storedShapes'
import type { Op } from './version'

export interface LogEntry {
  logSeq: number
  op: Op
  /** Peers that have not acknowledged this op yet. */
  pending: NodeId[]
  /** When the op was last sent to each pending peer (volatile: after a restart everything is due). */
  sentAtMs?: Record<string, number>
  /** Key of the Disk record holding this entry (set when its group commits). */
  record?: number
  /** True once that commit is durable: only durable entries are ever sent (log before send). */
  durable?: boolean
}

/** The persisted form of one entry. */
interface StoredEntry {
  logSeq: number
  op: Op
  pending: NodeId[]
}

export class ReplicationLog {
  private entries = new Map<OpId, LogEntry>()
  private nextLogSeq = 1
  private nextRecord = 1
  /** Live (unpruned) entries per Disk record. */
  private recordLive = new Map<number, number>()

  /** Rebuilds the log from its persisted records (ascending keys); STORAGE_CORRUPT when one is garbage. */
  static fromDisk(rows: Array<{ key: unknown; value: unknown }>): ReplicationLog {
    const log = new ReplicationLog()
    for (const row of rows) {
      const record = Number(row.key)
      const stored = checkStoredEntries(row.key, row.value)
      for (const e of stored) {
        log.entries.set(e.op.id, {
          logSeq: e.logSeq,
          op: e.op,
          pending: [...e.pending],
          record,
          durable: true,
        })
        log.nextLogSeq = Math.max(log.nextLogSeq, e.logSeq + 1)
      }
      log.recordLive.set(record, stored.length)
      log.nextRecord = Math.max(log.nextRecord, record + 1)
    }
    return log
  }

  /** The highest seq of `origin`'s ops in the log (0 when none). */
  highestSeqOf(origin: NodeId): number {
    let max = 0
    for (const e of this.entries.values()) if (e.op.origin === origin && e.op.seq > max) max = e.op.seq
    return max
  }

  get size(): number {
    return this.entries.size
  }

  /**
   * Adds an op for the given peers (in memory); `persist` it with the rest of its group commit, or
   * `forget` it when that commit fails. Null when there is nobody to send it to.
   */
  append(op: Op, peers: readonly NodeId[]): LogEntry | null {
    if (peers.length === 0 || this.entries.has(op.id)) return null
    const entry: LogEntry = { logSeq: this.nextLogSeq++, op, pending: [...peers] }
    this.entries.set(op.id, entry)
    return entry
  }

  /** The one Disk op that persists a group's new entries as a single record. */
  persist(entries: readonly LogEntry[]): DiskOp {
    const record = this.nextRecord++
    const stored: StoredEntry[] = entries.map((e) => ({
      logSeq: e.logSeq,
      op: e.op,
      pending: [...e.pending],
    }))
    for (const e of entries) e.record = record
    this.recordLive.set(record, entries.length)
    return { type: 'put', store: 'replog', key: record, value: stored }
  }

  /** Marks entries durable once their group commit is (from then on they may be sent). */
  markDurable(entries: readonly LogEntry[]): void {
    for (const e of entries) e.durable = true
  }

  /** Drops entries whose commit failed (they were never durable, so never sent). */
  forget(entries: readonly LogEntry[]): void {
    for (const e of entries) this.entries.delete(e.op.id)
  }

  /** Records a peer's acknowledgements; returns Disk ops deleting the entries now fully acknowledged. */
  ack(peer: NodeId, ids: readonly OpId[]): { pruned: LogEntry[]; diskOps: DiskOp[] } {
    const pruned: LogEntry[] = []
    for (const id of ids) {
      const e = this.entries.get(id)
      if (!e) continue
      const i = e.pending.indexOf(peer)
      if (i < 0) continue
      e.pending.splice(i, 1)
      if (e.pending.length === 0) {
        this.entries.delete(id)
        pruned.push(e)
      }
    }
    // A record is deleted when the last entry it holds is pruned.
    const diskOps: DiskOp[] = []
    for (const e of pruned) {
      if (e.record === undefined) continue
      const live = (this.recordLive.get(e.record) ?? 1) - 1
      if (live > 0) this.recordLive.set(e.record, live)
      else {
        this.recordLive.delete(e.record)
        diskOps.push({ type: 'delete', store: 'replog', key: e.record })
      }
    }
    return { pruned, diskOps }
  }

  /** Forgets a peer that left the cluster; returns Disk ops for the entries that are now done. */
  dropPeer(peer: NodeId): { pruned: LogEntry[]; diskOps: DiskOp[] } {
    const ids: OpId[] = []
    for (const e of this.entries.values()) if (e.pending.includes(peer)) ids.push(e.op.id)
    return this.ack(peer, ids)
  }

  /**
   * Up to `limit` ops pending for `peer` that were never sent to it or last sent at or before
   * `sentBeforeMs` (a resend must not chase a copy that is still on its way).
   */
  dueFor(peer: NodeId, sentBeforeMs: number, limit: number): Op[] {
    const out: Op[] = []
    for (const e of this.entries.values()) {
      if (!e.durable || !e.pending.includes(peer)) continue
      const at = e.sentAtMs?.[peer]
      if (at !== undefined && at > sentBeforeMs) continue
      out.push(e.op)
      if (out.length >= limit) break
    }
    return out
  }

  /** Records that these ops were just sent to `peer`. */
  markSent(ids: readonly OpId[], peer: NodeId, nowMs: number): void {
    for (const id of ids) {
      const e = this.entries.get(id)
      if (!e?.pending.includes(peer)) continue
      if (!e.sentAtMs) e.sentAtMs = {}
      e.sentAtMs[peer] = nowMs
    }
  }

  /** Up to `limit` ops still pending for `peer`, oldest first. */
  pendingFor(peer: NodeId, limit: number): Op[] {
    const out: Op[] = []
    for (const e of this.entries.values()) {
      if (e.pending.includes(peer)) {
        out.push(e.op)
        if (out.length >= limit) break
      }
    }
    return out
  }

  /** Ops pending for `peer` that its dot cloud says it has not seen (pull sync). */
  missingFor(peer: NodeId, seen: DotCloud, limit: number): Op[] {
    const out: Op[] = []
    for (const e of this.entries.values()) {
      if (e.durable && e.pending.includes(peer) && !seen.has(e.op.origin, e.op.seq)) {
        out.push(e.op)
        if (out.length >= limit) break
      }
    }
    return out
  }

  /** The smallest own seq still pending for `peer`, or Infinity. */
  minPendingOwnSeq(self: NodeId, peer: NodeId): number {
    let min = Number.POSITIVE_INFINITY
    for (const e of this.entries.values())
      if (e.op.origin === self && e.pending.includes(peer) && e.op.seq < min) min = e.op.seq
    return min
  }

  /** Entries pending per peer (the dashboard's replication backlog). */
  backlogByPeer(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const e of this.entries.values()) for (const p of e.pending) out[p] = (out[p] ?? 0) + 1
    return out
  }

  /** Peers that something is pending for. */
  peersWithBacklog(): Set<NodeId> {
    const s = new Set<NodeId>()
    for (const e of this.entries.values()) for (const p of e.pending) s.add(p)
    return s
  }

  /** Oldest entries, for inspection. */
  head(limit: number): LogEntry[] {
    const out: LogEntry[] = []
    for (const e of this.entries.values()) {
      out.push(e)
      if (out.length >= limit) break
    }
    return out
  }
}

/** Checks one persisted replog record: a list of {logSeq, op, pending}. */
function checkStoredEntries(key: unknown, raw: unknown): StoredEntry[] {
  const where = `replication-log record ${String(key)}`
  if (!isCount(key)) corrupt(where, `key ${describeValue(key)} is not a record number`)
  if (!Array.isArray(raw)) corrupt(where, `value is ${describeValue(raw)}, not a list of entries`)
  for (const e of raw) {
    if (!isRecord(e)) corrupt(where, `entry is ${describeValue(e)}`)
    if (!isCount(e.logSeq)) corrupt(where, `entry logSeq ${describeValue(e.logSeq)} is not an integer`)
    checkStoredOp(e.op, where)
    checkNodeIds(e.pending, where)
  }
  return raw as StoredEntry[]
}
