/**
 * Hinted handoff, stand-in side: writes meant for an unhealthy owner are kept durably (Disk store
 * 'hints') with the owner they are for, replayed when the failure detector sees the owner again,
 * throttled in bytes per second, and deleted once the owner acknowledges them.
 */
import type { DiskOp } from '../disk/disk'
import type { NodeId, OpId } from '../ids'
import { checkStoredOp, corrupt, describeValue, isRecord } from '../replication/storedShapes'
import type { Op } from '../replication/version'
import { opBytes } from '../replication/version'

export interface Hint {
  hintedFor: NodeId
  op: Op
  bytes: number
  storedAtMs: number
  /**
   * Replay as a row (a `repair`, merged by LWW) rather than as an op: set when the hint was moved to
   * a new owner after a ring change. That owner's dot cloud may already count the op as seen (pull
   * sync skips the ops not meant for a node), so as an op it would be dropped as a duplicate.
   */
  asRow?: boolean
}

function hintKey(hintedFor: NodeId, id: OpId): string {
  return `${hintedFor}|${id}`
}

export class HintStore {
  private hints = new Map<string, Hint>()
  private byKey = new Map<string, Set<string>>()

  /** Rebuilds the store from its persisted hints; STORAGE_CORRUPT when one is garbage. */
  static fromDisk(rows: Array<{ key: unknown; value: unknown }>): HintStore {
    const s = new HintStore()
    for (const r of rows) s.index(checkStoredHint(r.key, r.value))
    return s
  }

  /** The highest seq of `origin`'s ops held as hints (0 when none). */
  highestSeqOf(origin: NodeId): number {
    let max = 0
    for (const h of this.hints.values()) if (h.op.origin === origin && h.op.seq > max) max = h.op.seq
    return max
  }

  /** Adds a hint; returns the Disk op that persists it, or null when it is already held. */
  add(hintedFor: NodeId, op: Op, nowMs: number, asRow = false): DiskOp | null {
    const k = hintKey(hintedFor, op.id)
    if (this.hints.has(k)) return null
    const hint: Hint = { hintedFor, op, bytes: opBytes(op), storedAtMs: nowMs, ...(asRow ? { asRow } : {}) }
    this.index(hint)
    return { type: 'put', store: 'hints', key: k, value: hint }
  }

  /** Removes delivered hints; returns the Disk ops deleting them. */
  remove(hintedFor: NodeId, ids: readonly OpId[]): DiskOp[] {
    const ops: DiskOp[] = []
    for (const id of ids) {
      const k = hintKey(hintedFor, id)
      const h = this.hints.get(k)
      if (!h) continue
      this.hints.delete(k)
      this.byKey.get(h.op.key)?.delete(k)
      ops.push({ type: 'delete', store: 'hints', key: k })
    }
    return ops
  }

  /** Hints for one owner, oldest first, up to a byte budget (at least one). */
  batchFor(hintedFor: NodeId, bytesMax: number): Hint[] {
    const out: Hint[] = []
    let bytes = 0
    for (const h of this.hints.values()) {
      if (h.hintedFor !== hintedFor) continue
      if (out.length > 0 && bytes + h.bytes > bytesMax) break
      out.push(h)
      bytes += h.bytes
    }
    return out
  }

  /** Hinted ops for a key (a stand-in answers reads with what it holds). */
  forKey(key: string): Op[] {
    const ks = this.byKey.get(key)
    if (!ks) return []
    return [...ks].map((k) => this.hints.get(k)!.op)
  }

  /** Hinted ops for the keys in [start, end) (a stand-in answers range reads with them too). */
  forRange(start: string, end: string): Op[] {
    const out: Op[] = []
    for (const [key, ks] of this.byKey)
      if (key >= start && key < end) for (const k of ks) out.push(this.hints.get(k)!.op)
    return out
  }

  /** Every hint held (a snapshot: safe to add and remove while iterating it). */
  all(): Hint[] {
    return [...this.hints.values()]
  }

  targets(): NodeId[] {
    return [...new Set([...this.hints.values()].map((h) => h.hintedFor))]
  }

  countByTarget(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const h of this.hints.values()) out[h.hintedFor] = (out[h.hintedFor] ?? 0) + 1
    return out
  }

  get count(): number {
    return this.hints.size
  }

  get bytes(): number {
    let b = 0
    for (const h of this.hints.values()) b += h.bytes
    return b
  }

  list(
    limit = 1000,
  ): Array<{ hintedFor: NodeId; key: string; opId: OpId; bytes: number; storedAtMs: number }> {
    return [...this.hints.values()].slice(0, limit).map((h) => ({
      hintedFor: h.hintedFor,
      key: h.op.key,
      opId: h.op.id,
      bytes: h.bytes,
      storedAtMs: h.storedAtMs,
    }))
  }

  private index(h: Hint): void {
    const k = hintKey(h.hintedFor, h.op.id)
    this.hints.set(k, h)
    let set = this.byKey.get(h.op.key)
    if (!set) {
      set = new Set()
      this.byKey.set(h.op.key, set)
    }
    set.add(k)
  }
}

function checkStoredHint(key: unknown, raw: unknown): Hint {
  const where = `hint ${String(key)}`
  if (!isRecord(raw)) corrupt(where, `value is ${describeValue(raw)}, not a hint`)
  if (typeof raw.hintedFor !== 'string' || !/^node_\d+$/.test(raw.hintedFor))
    corrupt(where, `hintedFor ${describeValue(raw.hintedFor)} is not a node id`)
  const op = checkStoredOp(raw.op, where)
  if (key !== hintKey(raw.hintedFor as NodeId, op.id)) corrupt(where, 'key does not match its hint')
  if (typeof raw.bytes !== 'number' || !Number.isFinite(raw.bytes)) corrupt(where, 'bytes is malformed')
  if (typeof raw.storedAtMs !== 'number' || !Number.isFinite(raw.storedAtMs))
    corrupt(where, 'storedAtMs is malformed')
  return raw as unknown as Hint
}
