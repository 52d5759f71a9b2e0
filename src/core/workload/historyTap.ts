/**
 * The node-side workload's operations as history for the live checker. The workload generator runs
 * next to its coordinators (a node worker, or the simulator's event loop), so its operations never
 * pass the page's recorder; this tap wraps the generator's client, records each op's invoke and
 * completion (with what the coordinator answered: version, acks, op id, replies) in a bounded buffer,
 * and the host ships the buffer with its periodic update.
 *
 * Sampling is by key, never by op: a key's history is either whole or absent, since a checker that
 * sees a read but not the write it returned would report an anomaly that did not happen. Written
 * values are tagged with the generator's identity (node and start), because every node's generator
 * counts its values from 1: untagged, two nodes' first writes to a key would be the same value.
 * Time is the host's wall clock (Date.now in every thread, so threads agree to its 1 ms resolution);
 * a completion is stamped 1 ms late, so ops closer than the clock's resolution count as concurrent.
 */
import type { ConsistencyLevel } from '../quorum/consistency'
import type { WorkloadClient } from './generator'

/** Ops recorded per take (a node posts its update every 100 ms): past it an op is counted, not kept. */
export const TAP_RECORDS_MAX = 4096
/** Ops per second the live checker is given over the whole cluster; a faster workload is sampled by key. */
export const CHECKED_OPS_PER_SEC_MAX = 400
const VALUE_KEEP_MAX = 64

/** One op, or the part of it seen since the last take: an invoke has `startMs`, a completion `outcome`. */
export interface TapRecord {
  /** Unique within the tap (with the batch's `tag`, within the run). */
  id: number
  f: 'write' | 'read'
  key: string
  /** Coordinator (the node the op went through). */
  node: string
  level?: ConsistencyLevel
  startMs?: number
  /** A write's value (on its invoke), a read's answer (on its completion); compacted. */
  value?: string | null
  endMs?: number
  outcome?: 'ok' | 'fail' | 'info'
  version?: { ts: number; node: string }
  acks?: Array<{ node: string; hintedFor?: string }>
  opId?: string
  replies?: Array<{ node: string; version: { ts: number; node: string } | null }>
  errorCode?: string
  errorMessage?: string
}

export interface TapBatch {
  /** The tap's identity (its ids are unique within it). */
  tag: string
  records: TapRecord[]
  /** 1 = every key; k = the keys whose hash is 0 mod k. */
  sampleEvery: number
  /** Ops not recorded because their key is not sampled. */
  skipped: number
  /** Ops not recorded because the buffer was full (their keys' histories are then incomplete). */
  dropped: number
}

/** What a read or write result says, in the shape the checker records (the host knows the result types). */
export interface TapResults {
  write(r: unknown): Pick<TapRecord, 'version' | 'acks' | 'opId'>
  read(r: unknown): Pick<TapRecord, 'value' | 'version' | 'replies'>
}

/** How many keys the checker samples for a workload at `ratePerSec` over the cluster (1 = all). */
export function historySampleEvery(ratePerSec: number): number {
  return Math.max(1, Math.ceil(ratePerSec / CHECKED_OPS_PER_SEC_MAX))
}

export function fnv(s: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}

function keyHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Whether the checker sees `key` at this sampling (every host decides alike). */
export function keySampled(key: string, sampleEvery: number): boolean {
  return sampleEvery <= 1 || keyHash(key) % sampleEvery === 0
}

/** Long values (workload payloads) are kept short: a prefix and a hash of the whole. */
export function compactValue(v: string): string {
  return v.length <= VALUE_KEEP_MAX ? v : `${v.slice(0, 40)}…${fnv(v)}`
}

/** `value` with `tag` after its 8-character sequence number, keeping its length when it is long enough. */
export function tagValue(value: string, tag: string): string {
  const head = value.slice(0, 8)
  const rest = value.slice(8)
  return rest.length >= tag.length ? `${head}${tag}${rest.slice(tag.length)}` : `${head}${tag}`
}

export interface TapOptions {
  /** The tap's identity: its node and start (`node_1.mf3k2x`); also written into values. */
  tag: string
  sampleEvery: number
  nowMs: () => number
  results: TapResults
  recordsMax?: number
}

export class HistoryTap {
  private records: TapRecord[] = []
  /** Invokes not taken yet, by id: their completion is merged into the same record. */
  private readonly unsent = new Map<number, TapRecord>()
  private seq = 0
  private skipped = 0
  private dropped = 0
  private readonly max: number
  private valueTag: string
  private starts = 0

  constructor(private readonly o: TapOptions) {
    this.max = o.recordsMax ?? TAP_RECORDS_MAX
    this.valueTag = `~${o.tag}~`
  }

  /**
   * A generator starts (its values count from 1 again): later writes get a new tag, and keys are
   * sampled at `sampleEvery` from now on (the checker treats a key as whole only when sampled at every
   * rate it saw).
   */
  restart(sampleEvery: number): void {
    this.starts++
    this.valueTag = `~${this.o.tag}.${this.starts.toString(36)}~`
    this.o.sampleEvery = sampleEvery
  }

  /** A client whose ops through `node()` are recorded (writes tagged), for the generator. */
  client(inner: WorkloadClient, node: () => string): WorkloadClient {
    const wrapped: WorkloadClient = {
      put: (key, value, level) =>
        this.run('write', key, level, node(), value, (v) => inner.put(key, v, level)),
      read: (key, level) => this.run('read', key, level, node(), null, () => inner.read(key, level)),
    }
    // A token-aware client's key filter passes through: without it every node would issue every key.
    if (inner.owns) wrapped.owns = (key) => inner.owns!(key)
    return wrapped
  }

  /**
   * Records one op through `node` (the simulator picks the node per op, inside its client); a
   * write's value is tagged first (sampled or not, so the stored data does not depend on sampling).
   */
  run<R>(
    f: 'write' | 'read',
    key: string,
    level: ConsistencyLevel | undefined,
    node: string,
    value: string | null,
    op: (value: string) => Promise<R>,
  ): Promise<R> {
    const v = f === 'write' ? tagValue(value ?? '', this.valueTag) : ''
    if (!keySampled(key, this.o.sampleEvery)) {
      this.skipped++
      return op(v)
    }
    if (this.records.length >= this.max) {
      this.dropped++
      return op(v)
    }
    const id = ++this.seq
    const inv: TapRecord = { id, f, key, node, startMs: this.o.nowMs() }
    if (level !== undefined) inv.level = level
    if (f === 'write') inv.value = compactValue(v)
    this.records.push(inv)
    this.unsent.set(id, inv)
    const finish = (part: Partial<TapRecord>): void => {
      const done = { ...part, endMs: this.o.nowMs() + 1 }
      const rec = this.unsent.get(id)
      if (rec) {
        Object.assign(rec, done)
        this.unsent.delete(id)
      } else this.records.push({ id, f, key, node, ...done })
    }
    let p: Promise<R>
    try {
      p = op(v)
    } catch (e) {
      p = Promise.reject(e)
    }
    return p.then(
      (r) => {
        finish({ outcome: 'ok', ...(f === 'write' ? this.o.results.write(r) : this.o.results.read(r)) })
        return r
      },
      (e: unknown) => {
        const code = (e as { code?: unknown })?.code
        const errorCode = typeof code === 'string' ? code : 'uncoded'
        // A read changed nothing; a write may have reached some replicas unless refused on input.
        const outcome = f === 'read' || errorCode === 'BAD_INPUT' ? 'fail' : 'info'
        finish({ outcome, errorCode, errorMessage: e instanceof Error ? e.message : String(e) })
        throw e
      },
    )
  }

  /** Everything recorded since the last take, or null when nothing was. */
  take(): TapBatch | null {
    if (this.records.length === 0 && this.skipped === 0 && this.dropped === 0) return null
    const b: TapBatch = {
      tag: this.o.tag,
      records: this.records,
      sampleEvery: this.o.sampleEvery,
      skipped: this.skipped,
      dropped: this.dropped,
    }
    this.records = []
    this.unsent.clear()
    this.skipped = 0
    this.dropped = 0
    return b
  }
}
