/**
 * The live checker: a Jepsen history fed event by event, checked incrementally and in bounded
 * memory. Events are paired as `pairOperations` pairs them; each key keeps a window of its latest
 * completed ops, and `flush()` re-runs the batch detectors (stale reads, linearizability) on the keys
 * that changed only. An open invoke counts as indeterminate, exactly as in a batch check of the
 * history so far, so with nothing evicted the verdict equals `checkHistory` on the same history
 * (incremental.test.ts). When a key's window (or all windows together) grows past its bound, its
 * oldest ops leave: anomalies they decide are frozen (kept, counted), their mutations stay as compact
 * records so later reads of old values are still judged, and the search then starts from an unknown
 * register state. Counts cover the whole run.
 */
import { dbError } from '../errors'
import { ANOMALY_KINDS, type Anomaly, type AnomalyKind } from './anomaly'
import type { CauseEnv } from './causes'
import { CrdtBook, type CrdtFinal, type CrdtRecord } from './crdtLive'
import {
  describeDivergence,
  describeLost,
  describeNonLinearizable,
  describeRead,
  describeSiblings,
} from './describe'
import { findDivergence, type ReplicaStates } from './divergence'
import type { CompletedOp, HistoryOp } from './history'
import { checkKeyLinearizable, type KeyLinearizability, type LinearizabilityOptions } from './linearizability'
import { findLostWrites } from './lostWrites'
import type { FaultSnapshot, OpContext, RunConfig } from './opContext'
import { SampledKeys } from './sampledKeys'
import { findStaleReads, type ReadAnomaly } from './staleReads'
import { verdictHeadline } from './verdictText'

/** A history event with what the cluster said about it (merged per op). */
export interface LiveOp extends HistoryOp {
  ctx?: OpContext
}

export interface IncrementalOptions {
  /** Completed ops kept per key (default 200, the search's own bound). */
  keyOpsMax?: number
  /** Completed ops kept over all keys (default 20,000). */
  windowOpsMax?: number
  /** Evicted mutations remembered per key (default 1,000). */
  evictedPerKeyMax?: number
  /** Frozen anomalies kept for display (counts are kept for all; default 200). */
  frozenMax?: number
  linearizability?: LinearizabilityOptions | false
  /**
   * A changed key's linearizability search runs at most once per this many flushes (default 1:
   * every flush). The page's checker searches each key at most once a second; `findings()` and an
   * eviction always search first.
   */
  searchEveryFlushes?: number
}

interface KeyState {
  ops: CompletedOp[]
  evicted: CompletedOp[]
  /** Some evicted mutations were forgotten: reads of unknown values are not judged. */
  lossy: boolean
  dirty: boolean
  /** Changed since its last search (the search is throttled by searchEveryFlushes). */
  searchDue: boolean
  searchedAt: number
  /** Flushes between searches of this key: doubles while the search ends over budget ('unknown'). */
  searchGap: number
  reads: ReadAnomaly[]
  lin: KeyLinearizability | null
  anomalies: Anomaly[]
}

export interface VerdictCounts {
  /** Invocations seen. */
  ops: number
  ok: number
  fail: number
  info: number
  /** Failed or indeterminate writes/deletes, per error code ("refused writes"). */
  refusedByCode: Record<string, number>
  anomalies: number
  byKind: Record<AnomalyKind, number>
  keys: number
  keysLinearizable: number
  keysUnknown: number
  keysNotLinearizable: number
  windowOps: number
  evictedOps: number
}

export interface Verdict extends VerdictCounts {
  /** "400 operations, 0 anomalies, linearizable per key". */
  headline: string
  /** Newest first (current window, the last final check, then frozen ones). */
  list: Anomaly[]
  finalChecked: boolean
}

export interface FinalState {
  /** Each key's value after heal and quiescence. */
  finalValues: ReadonlyMap<string, string | null>
  versionOrder?: ReadonlyMap<string, readonly string[]>
  replicas?: ReplicaStates
  holdersOf?: (key: string) => readonly string[]
  /** CRDT keys' merged values (a read's `crdt`): CRDT losses are checked against them. */
  crdtFinals?: ReadonlyMap<string, CrdtFinal>
  time: number
}

const NO_FAULTS: FaultSnapshot = { time: 0, groups: [], down: [], skewMs: {} }
const FAULT_SNAPSHOTS_MAX = 500
/** An over-budget key is searched at least once per this many search intervals. */
const SEARCH_GAP_GROWTH_MAX = 16

function zeroKinds(): Record<AnomalyKind, number> {
  return Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>
}

export class IncrementalChecker {
  private readonly keyOpsMax: number
  private readonly windowOpsMax: number
  private readonly evictedPerKeyMax: number
  private readonly frozenMax: number
  private readonly lin: LinearizabilityOptions | false
  private readonly searchEvery: number
  private flushes = 0
  private readonly keys = new Map<string, KeyState>()
  private readonly open = new Map<string | number, { op: LiveOp; index: number }>()
  private readonly ctx = new Map<number, OpContext>()
  private readonly order: Array<{ key: string; index: number }> = []
  private orderHead = 0
  private index = 0
  private windowOps = 0
  private evictedOps = 0
  private readonly counts = { ok: 0, fail: 0, info: 0 }
  private readonly refused: Record<string, number> = {}
  private readonly frozen: Anomaly[] = []
  private readonly frozenIds = new Set<string>()
  private readonly frozenKinds = zeroKinds()
  private final: Anomaly[] = []
  private finalChecked = false
  private faults: FaultSnapshot[] = [NO_FAULTS]
  private readonly crdt = new CrdtBook()
  /** Keys whose history is whole under the node-side workload's sampling (sampledKeys.ts). */
  private readonly sampled = new SampledKeys()
  config: RunConfig

  constructor(config: RunConfig, options: IncrementalOptions = {}) {
    this.config = config
    this.keyOpsMax = options.keyOpsMax ?? 200
    this.windowOpsMax = options.windowOpsMax ?? 20_000
    this.evictedPerKeyMax = options.evictedPerKeyMax ?? 1000
    this.frozenMax = options.frozenMax ?? 200
    this.lin = options.linearizability ?? {}
    this.searchEvery = options.searchEveryFlushes ?? 1
  }

  /** The faults in effect from `f.time` on. */
  noteFaults(f: FaultSnapshot): void {
    this.faults.push(f)
    if (this.faults.length > FAULT_SNAPSHOTS_MAX)
      this.faults.splice(1, this.faults.length - FAULT_SNAPSHOTS_MAX)
  }

  private readonly env: CauseEnv = this.causeEnv()

  private causeEnv(): CauseEnv {
    const self = this
    return {
      get config() {
        return self.config
      },
      faultsAt: (time) => {
        let best = NO_FAULTS
        for (const f of self.faults) if (f.time <= time) best = f
        return best
      },
    }
  }

  private ctxOf = (index: number): OpContext => this.ctx.get(index) ?? {}

  /**
   * The node-side workload records keys at 1 in `sampleEvery` (`lost`: and some ops were left out).
   * A key is whole only when sampled at every rate seen: the others' workload ops are (partly)
   * missing, so their reads of values not in the history are not judged (as after an eviction).
   */
  noteSampling(sampleEvery: number, lost = false): void {
    if (!this.sampled.note(sampleEvery, lost)) return
    for (const [key, k] of this.keys)
      if (!k.lossy && !this.sampled.whole(key)) {
        k.lossy = true
        k.dirty = true
      }
  }

  private keyState(key: string): KeyState {
    let k = this.keys.get(key)
    if (!k) {
      k = {
        ops: [],
        evicted: [],
        lossy: !this.sampled.whole(key),
        dirty: false,
        searchDue: false,
        searchedAt: Number.NEGATIVE_INFINITY,
        searchGap: this.searchEvery,
        reads: [],
        lin: null,
        anomalies: [],
      }
      this.keys.set(key, k)
    }
    return k
  }

  /** Completed applyCrdt ops (outside the register history: checked against the final merged state). */
  addCrdt(records: readonly CrdtRecord[]): void {
    for (const r of records) {
      this.counts[r.outcome]++
      if (r.outcome !== 'ok') {
        const code = r.errorCode ?? 'unknown'
        this.refused[code] = (this.refused[code] ?? 0) + 1
      }
      this.crdt.add(r)
    }
  }

  /** Adds history events (in history order). Malformed pairs are BAD_INPUT, as in pairOperations. */
  add(events: readonly LiveOp[]): void {
    for (const op of events) this.addOne(op)
  }

  private addOne(op: LiveOp): void {
    const index = this.index++
    const pending = this.open.get(op.process)
    if (op.type === 'invoke') {
      if (pending)
        throw dbError(
          'BAD_INPUT',
          `process ${op.process} invoked op ${index} while op ${pending.index} is open`,
        )
      this.open.set(op.process, { op, index })
      if (op.ctx) this.ctx.set(index, { ...op.ctx })
      this.keyState(op.key).dirty = true
      return
    }
    if (!pending)
      throw dbError('BAD_INPUT', `op ${index}: ${op.type} for process ${op.process} with nothing invoked`)
    if (pending.op.f !== op.f || pending.op.key !== op.key)
      throw dbError(
        'BAD_INPUT',
        `op ${index}: completion ${op.f} ${op.key} does not match invoke ${pending.index}`,
      )
    this.open.delete(op.process)
    const k = this.keyState(op.key)
    k.dirty = true
    if (op.ctx) this.ctx.set(pending.index, { ...this.ctx.get(pending.index), ...op.ctx })
    this.counts[op.type]++
    if (op.type !== 'ok' && op.f !== 'read') {
      const code = this.ctx.get(pending.index)?.errorCode ?? 'unknown'
      this.refused[code] = (this.refused[code] ?? 0) + 1
    }
    const done = this.complete(pending, op)
    if (!done) {
      this.ctx.delete(pending.index)
      return
    }
    k.ops.push(done)
    this.order.push({ key: op.key, index: done.index })
    this.windowOps++
  }

  private complete(inv: { op: LiveOp; index: number }, op: LiveOp): CompletedOp | null {
    if (op.type === 'fail') return null
    if (inv.op.f === 'read' && op.type === 'info') return null
    const value = inv.op.f === 'read' ? (op.value ?? null) : inv.op.f === 'delete' ? null : inv.op.value
    return {
      process: inv.op.process,
      f: inv.op.f,
      key: inv.op.key,
      value,
      start: inv.op.time,
      end: op.type === 'ok' ? op.time : Number.POSITIVE_INFINITY,
      outcome: op.type === 'ok' ? 'ok' : 'info',
      index: inv.index,
    }
  }

  /** The key's ops as a batch check of the history so far sees them (open mutations as info). */
  private opsOf(key: string, k: KeyState): CompletedOp[] {
    const out = [...k.ops]
    for (const { op, index } of this.open.values())
      if (op.key === key && op.f !== 'read')
        out.push({
          process: op.process,
          f: op.f,
          key,
          value: op.f === 'delete' ? null : op.value,
          start: op.time,
          end: Number.POSITIVE_INFINITY,
          outcome: 'info',
          index,
        })
    return out.sort((a, b) => a.index - b.index)
  }

  private checkKey(key: string, k: KeyState, force = false): void {
    const due = () => k.searchDue && (force || this.flushes - k.searchedAt >= k.searchGap)
    if (!k.dirty && !due()) return
    const ops = this.opsOf(key, k)
    const evicted = k.evicted.length > 0 || k.lossy
    if (k.dirty) {
      k.dirty = false
      k.searchDue = true
      const inWindow = new Set(ops.map((o) => o.index))
      k.reads = findStaleReads(
        evicted ? [...k.evicted, ...ops].sort((a, b) => a.index - b.index) : ops,
      ).filter((a) => inWindow.has(a.read.index) && !(k.lossy && a.kind !== 'stale-read'))
    }
    if (due()) {
      k.searchDue = false
      k.searchedAt = this.flushes
      k.lin =
        this.lin === false ? null : checkKeyLinearizable(key, ops, { ...this.lin, initialUnknown: evicted })
      // A key too concurrent for the budget stays so for a while: search it less often.
      k.searchGap =
        k.lin?.verdict === 'unknown'
          ? Math.min(k.searchGap * 2, this.searchEvery * SEARCH_GAP_GROWTH_MAX)
          : this.searchEvery
    }
    const reads = k.reads.map((a) => describeRead(a, this.ctxOf, this.env))
    const siblings = ops
      .filter((o) => o.f === 'read' && (this.ctx.get(o.index)?.siblings?.length ?? 0) > 1)
      .map((o) => describeSiblings(o, this.ctxOf, this.env))
    const stale = reads.filter((a) => a.kind === 'stale-read')
    const lin =
      k.lin?.verdict === 'not-linearizable'
        ? [describeNonLinearizable(k.lin, this.ctxOf, this.env, stale, ops)]
        : []
    k.anomalies = [...reads, ...siblings, ...lin]
  }

  /** Re-checks the keys that changed and evicts past the bounds; `force` runs every due search now. */
  flush(force = false): void {
    this.flushes++
    for (const [key, k] of this.keys) {
      if (k.ops.length > this.keyOpsMax)
        this.evict(key, k, k.ops.length - Math.floor((this.keyOpsMax * 3) / 4))
      else this.checkKey(key, k, force)
    }
    if (this.windowOps > this.windowOpsMax) {
      const perKey = new Map<string, number>()
      let over = this.windowOps - Math.floor((this.windowOpsMax * 9) / 10)
      while (over > 0 && this.orderHead < this.order.length) {
        const { key, index } = this.order[this.orderHead++]
        const k = this.keys.get(key)
        if (!k?.ops.some((o) => o.index === index)) continue
        perKey.set(key, (perKey.get(key) ?? 0) + 1)
        over--
      }
      for (const [key, n] of perKey) this.evict(key, this.keys.get(key)!, n)
    }
    if (this.orderHead > 4096) {
      this.order.splice(0, this.orderHead)
      this.orderHead = 0
    }
  }

  /** Drops a key's `n` oldest completed ops, freezing the anomalies they decide. */
  private evict(key: string, k: KeyState, n: number): void {
    k.dirty = true
    this.checkKey(key, k, true)
    const gone = k.ops.slice(0, n)
    const goneIdx = new Set(gone.map((o) => o.index))
    for (const a of k.anomalies) {
      const decider =
        a.kind === 'non-linearizable' ? a.ops.some((o) => goneIdx.has(o.index)) : goneIdx.has(a.ops[0]?.index)
      if (decider) this.freeze(a)
    }
    k.ops = k.ops.slice(n)
    for (const o of gone) {
      if (o.f !== 'read') k.evicted.push(o)
      this.ctx.delete(o.index)
    }
    if (k.evicted.length > this.evictedPerKeyMax) {
      k.evicted.splice(0, k.evicted.length - this.evictedPerKeyMax)
      k.lossy = true
    }
    this.windowOps -= n
    this.evictedOps += n
    k.dirty = true
    this.checkKey(key, k)
    k.anomalies = k.anomalies.filter((a) => !this.frozenIds.has(a.id))
  }

  private freeze(a: Anomaly): void {
    if (this.frozenIds.has(a.id)) return
    this.frozenIds.add(a.id)
    this.frozenKinds[a.kind]++
    this.frozen.unshift(a)
    if (this.frozen.length > this.frozenMax) this.frozen.length = this.frozenMax
  }

  /** Keys changed since their last search (a later flush will search them). */
  get searchesDue(): number {
    let n = 0
    for (const k of this.keys.values()) if (k.searchDue) n++
    return n
  }

  /** Lost writes and divergence, from the state after heal and quiescence (replaces the last one). */
  finalCheck(state: FinalState): Anomaly[] {
    this.flush(true)
    const ops: CompletedOp[] = []
    for (const [key, k] of this.keys) ops.push(...this.opsOf(key, k))
    ops.sort((a, b) => a.index - b.index)
    const lost = findLostWrites({
      ops,
      finalValues: state.finalValues,
      versionOrder: state.versionOrder,
    }).map((l) => describeLost(l, this.ctxOf, this.env))
    const div = state.replicas
      ? findDivergence(state.replicas, state.holdersOf).map((d) =>
          describeDivergence(d, this.env, state.time),
        )
      : []
    const crdt = state.crdtFinals ? this.crdt.check(state.crdtFinals, state.time) : []
    this.final = [...lost, ...div, ...crdt]
    this.finalChecked = true
    return this.final
  }

  /** Raw findings of the current window (for tests against the batch checker). */
  findings(): { reads: ReadAnomaly[]; linearizability: KeyLinearizability[] } {
    this.flush(true)
    const reads: ReadAnomaly[] = []
    const linearizability: KeyLinearizability[] = []
    for (const k of this.keys.values()) {
      reads.push(...k.reads)
      if (k.lin) linearizability.push(k.lin)
    }
    return { reads: reads.sort((a, b) => a.read.index - b.read.index), linearizability }
  }

  /** The verdict so far (flushes first). */
  verdict(listMax = 100): Verdict {
    this.flush()
    const byKind = { ...this.frozenKinds }
    const current: Anomaly[] = []
    let linOk = 0
    let linUnknown = 0
    let linBad = 0
    for (const k of this.keys.values()) {
      current.push(...k.anomalies)
      if (k.lin?.verdict === 'linearizable') linOk++
      else if (k.lin?.verdict === 'unknown') linUnknown++
      else if (k.lin?.verdict === 'not-linearizable') linBad++
    }
    for (const a of [...current, ...this.final]) byKind[a.kind]++
    const anomalies = Object.values(byKind).reduce((s, n) => s + n, 0)
    current.sort((a, b) => b.time - a.time)
    const counts: VerdictCounts = {
      ops: this.counts.ok + this.counts.fail + this.counts.info + this.open.size,
      ...this.counts,
      refusedByCode: { ...this.refused },
      anomalies,
      byKind,
      keys: this.keys.size,
      keysLinearizable: linOk,
      keysUnknown: linUnknown,
      keysNotLinearizable: linBad,
      windowOps: this.windowOps,
      evictedOps: this.evictedOps,
    }
    return {
      ...counts,
      headline: verdictHeadline(counts, this.lin !== false),
      list: [...this.final, ...current, ...this.frozen].slice(0, listMax),
      finalChecked: this.finalChecked,
    }
  }
}
