/**
 * Records a cluster's client operations as a Jepsen history for the live checker: every put, read
 * (and get, which goes through read) and delete made on this Cluster object — by the
 * console, the page's workload generator or a script through `window.playground.cluster` — becomes
 * an invoke and an ok / fail / info, with what the cluster said about it (coordinator, level, acks
 * with stand-ins, replies, siblings, error code). Fault changes (partition, heal, kill, restart,
 * pause, resume, clock skew) become fault snapshots, so causes can name what was in effect.
 * applyCrdt ops are reported apart (`sink.crdt`): they are checked against the final merged state.
 *
 * It wraps the methods on the instance (own properties shadow the class's), so callers keep the
 * one object they had. Each call is its own Jepsen process (calls from the page overlap freely).
 * Times strictly increase (1 µs apart at one instant), so order observed here is real-time order.
 * Values are made unique per key, as the checker requires: a value written again to the same key
 * is recorded as `value#2`, and a read of it names the latest write of it.
 */

import type { CrdtRecord } from '../core/checker/crdtLive'
import type { HistoryOp, OpF } from '../core/checker/history'
import type { LiveOp } from '../core/checker/incremental'
import type { FaultSnapshot, OpContext, RunConfig } from '../core/checker/opContext'
import { isDbError } from '../core/errors'
import { compactValue as compact, type TapBatch } from '../core/workload/historyTap'
import { keyArgs, putArgs } from './keyArgs'
import { WorkloadIntake, type WorkloadIntakeCounts } from './recordWorkload'
import type { Cluster, OpOptions, ReadResult, ResolvedClusterOptions, WriteResult } from './types'

export interface HistorySink {
  ops(batch: LiveOp[]): void
  faults(snapshot: FaultSnapshot): void
  /** A completed applyCrdt (CRDT ops are checked against the final merged state, not as registers). */
  crdt?(record: CrdtRecord): void
}

export interface HistoryRecorder {
  stop(): void
  nameOf(key: string, value: string | null): string | null
  /** The history's clock now (the cluster's, strictly increasing). */
  now(): number
  /** The cluster's own read, not recorded (the final check's reads are not client operations). */
  rawRead(ref: number | string, key: string, opts?: OpOptions): Promise<ReadResult>
  /** Adds the node-side workload's ops (a tap batch from the nodes or the simulator's generator). */
  workload(batch: TapBatch): void
  /** What the node-side workload recorded, skipped (unsampled keys) and dropped so far. */
  readonly workloadCounts: Readonly<WorkloadIntakeCounts>
}

export interface RecordOptions {
  /** Where the ops come from when the caller does not say ('api' for window.playground). */
  source?: () => string
}

const TRACKED_VALUES_PER_KEY_MAX = 256
const TRACKED_KEYS_MAX = 10_000

/** The run's configuration as the cause rules read it. */
export function runConfigOf(o: ResolvedClusterOptions): RunConfig {
  const n = Math.min(o.replicationFactor, o.numNodes)
  return {
    n,
    w: o.writeQuorum,
    r: o.readQuorum,
    level: o.consistency,
    sloppyQuorum: o.sloppyQuorum,
    mode: o.consistencyMode,
    timestampSource: o.timestampSource,
    antiEntropyIntervalMs: o.antiEntropyIntervalMs,
  }
}

/** Per key: how many times each value was written, so a rewrite gets a new name. */
class ValueNames {
  private readonly byKey = new Map<string, Map<string, number>>()

  write(key: string, v: string): string {
    let m = this.byKey.get(key)
    if (!m) {
      if (this.byKey.size >= TRACKED_KEYS_MAX) this.byKey.delete(this.byKey.keys().next().value as string)
      m = new Map()
      this.byKey.set(key, m)
    }
    const c = compact(v)
    const n = (m.get(c) ?? 0) + 1
    m.delete(c)
    m.set(c, n)
    if (m.size > TRACKED_VALUES_PER_KEY_MAX) m.delete(m.keys().next().value as string)
    return n === 1 ? c : `${c}#${n}`
  }

  read(key: string, v: string | null): string | null {
    if (v === null) return null
    const c = compact(v)
    const n = this.byKey.get(key)?.get(c) ?? 1
    return n === 1 ? c : `${c}#${n}`
  }
}

/**
 * Commit errors raised before the commit point (nothing applied anywhere): the commit's writes
 * definitely did not happen. Anything else (TX_IN_DOUBT, TIMEOUT, NODE_DOWN …) may have committed.
 */
const TX_REFUSED: ReadonlySet<string> = new Set([
  'BAD_INPUT',
  'TX_UNKNOWN',
  'TX_FINISHED',
  'TX_FAILED',
  'TX_CONFLICT',
  'TX_ABORTED',
  'TX_DEADLOCK',
  'TX_EXPIRED',
  'LOCK_TIMEOUT',
  'TX_SNAPSHOT_TOO_OLD',
])

/** The faults in effect now: partition groups, nodes not up, non-zero clock skews. */
export function faultSnapshot(c: Cluster, skewMs: Record<string, number>, time: number): FaultSnapshot {
  let groups: string[][] = []
  try {
    groups = c.faults().groups.map((g) => [...g])
  } catch {
    groups = []
  }
  return {
    time,
    groups,
    down: c.nodes.filter((n) => n.status !== 'up').map((n) => n.id),
    skewMs: Object.fromEntries(Object.entries(skewMs).filter(([, v]) => v !== 0)),
  }
}

function nodeName(c: Cluster, ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref
  if (typeof ref === 'number') return c.nodes.find((n) => n.index === ref)?.id ?? `node_${ref}`
  return undefined
}

function writeCtx(r: WriteResult): OpContext {
  return {
    version: r.version,
    acks: r.acks.map((a) => (a.hintedFor ? { node: a.node, hintedFor: a.hintedFor } : { node: a.node })),
    ...(r.opId ? { opId: r.opId } : {}),
  }
}

function readCtx(r: ReadResult): OpContext {
  const ctx: OpContext = { version: r.version ?? undefined, replies: r.replies.map((x) => ({ ...x })) }
  if (r.siblings.length > 1) ctx.siblings = r.siblings.map((s) => ({ value: s.value, node: s.node }))
  return ctx
}

/**
 * Starts recording `c`'s client operations into `sink`; `stop` restores the methods. Times are the
 * cluster's clock (`c.time.nowMs`: virtual ms in the simulator). `nameOf` gives a stored value the
 * name the history uses for it (for final values).
 */
export function recordHistory(c: Cluster, sink: HistorySink, opts: RecordOptions = {}): HistoryRecorder {
  const names = new ValueNames()
  const skew: Record<string, number> = {}
  let process = 0
  // Strictly increasing: an op that completed before another was invoked (in the order this page
  // saw them) precedes it even at one virtual instant, as in Jepsen's client-observed time.
  let last = Number.NEGATIVE_INFINITY
  const now = () => {
    last = Math.max(c.time.nowMs, last + 0.001)
    return last
  }
  const source = opts.source ?? (() => 'api')
  const target = c as unknown as Record<string, unknown>
  const saved = new Map<string, unknown>()
  const orig = <T extends (...a: never[]) => unknown>(name: string): T => {
    const fn = (c as unknown as Record<string, T>)[name].bind(c) as T
    saved.set(name, Object.hasOwn(target, name) ? target[name] : undefined)
    return fn
  }
  const noteFaults = () => sink.faults(faultSnapshot(c, skew, now()))

  const op = async <R>(
    f: OpF,
    key: string,
    value: string | null,
    ctx: OpContext,
    run: () => Promise<R>,
    done: (r: R) => { value: string | null; ctx: OpContext },
  ): Promise<R> => {
    const p = ++process
    const named = f === 'write' && value !== null ? names.write(key, value) : null
    const invoke: LiveOp = { process: p, type: 'invoke', f, key, value: named, time: now(), ctx }
    sink.ops([invoke])
    const downAtInvoke = ctx.node !== undefined && c.nodes.find((n) => n.id === ctx.node)?.status !== 'up'
    try {
      const r = await run()
      const d = done(r)
      const v = f === 'read' ? names.read(key, d.value) : named
      sink.ops([{ process: p, type: 'ok', f, key, value: v, time: now(), ctx: d.ctx }])
      return r
    } catch (e) {
      const code = isDbError(e) ? e.code : 'uncoded'
      // A failed read changed nothing; a mutation may have reached some replicas unless it was
      // refused before anything was written (bad input, a coordinator already down).
      const definite = f === 'read' || code === 'BAD_INPUT' || (code === 'NODE_DOWN' && downAtInvoke)
      const type: HistoryOp['type'] = definite ? 'fail' : 'info'
      const message = e instanceof Error ? e.message : String(e)
      sink.ops([
        {
          process: p,
          type,
          f,
          key,
          value: named,
          time: now(),
          ctx: { errorCode: code, errorMessage: message },
        },
      ])
      throw e
    }
  }

  // Transactions: a put or delete with `{ txId }` is buffered at its coordinator, invisible until the
  // commit, so it is recorded as a write at the commit (invoked when the commit is, done when it
  // returns; a refusal before the commit point is a definite fail). Keys that increment/transfer
  // write are not checked at all: their values are computed inside the transaction, so a read of one
  // would name a value no recorded write wrote.
  const txWrites = new Map<string, Map<string, string | null>>()
  const unchecked = new Set<string>()
  const bufferTx = <R>(txId: string, key: string, value: string | null, p: Promise<R>): Promise<R> =>
    p.then((r) => {
      const m = txWrites.get(txId) ?? new Map<string, string | null>()
      txWrites.set(txId, m)
      m.delete(key) // its last write of the key is the one the commit applies
      m.set(key, value)
      return r
    })
  const wrapTransactions = (w: Record<string, unknown>): void => {
    const commit = orig<Cluster['commitTransaction']>('commitTransaction')
    const abort = orig<Cluster['abortTransaction']>('abortTransaction')
    const increment = orig<Cluster['increment']>('increment')
    const transfer = orig<Cluster['transfer']>('transfer')
    w.commitTransaction = async (txId: string) => {
      const writes = txWrites.get(txId)
      txWrites.delete(txId)
      if (!writes || writes.size === 0) return commit(txId)
      const node = nodeName(c, txId.slice(0, txId.lastIndexOf(':')))
      const ctx: OpContext = { node, source: source() }
      const ops = [...writes].map(([key, v]) => {
        const f: OpF = v === null ? 'delete' : 'write'
        const named = v === null ? null : names.write(key, v)
        return { process: ++process, f, key, value: named }
      })
      sink.ops(ops.map((o) => ({ ...o, type: 'invoke' as const, time: now(), ctx })))
      try {
        const r = await commit(txId)
        const t = now()
        sink.ops(ops.map((o) => ({ ...o, type: 'ok' as const, time: t, ctx: { version: r.version } })))
        return r
      } catch (e) {
        const code = isDbError(e) ? e.code : 'uncoded'
        const type: HistoryOp['type'] = TX_REFUSED.has(code) ? 'fail' : 'info'
        const message = e instanceof Error ? e.message : String(e)
        const t = now()
        sink.ops(ops.map((o) => ({ ...o, type, time: t, ctx: { errorCode: code, errorMessage: message } })))
        throw e
      }
    }
    w.abortTransaction = (txId: string) => {
      txWrites.delete(txId)
      return abort(txId)
    }
    w.increment = (ref: number | string, key: string, amount?: number) => {
      unchecked.add(key)
      return increment(ref, key, amount)
    }
    w.transfer = (ref: number | string, from: string, to: string, amount: number) => {
      unchecked.add(from)
      unchecked.add(to)
      return transfer(ref, from, to, amount)
    }
  }

  const put = orig<Cluster['put']>('put') as (...a: unknown[]) => Promise<WriteResult>
  const read = orig<Cluster['read']>('read') as (...a: unknown[]) => Promise<ReadResult>
  const del = orig<Cluster['delete']>('delete') as (...a: unknown[]) => Promise<WriteResult>
  const wrapped: Record<string, unknown> = {
    put: (ref: unknown, ...args: unknown[]) => {
      const { key, value, opts: o } = putArgs(args)
      if (o.txId) return bufferTx(o.txId, key, typeof value === 'string' ? value : null, put(ref, ...args))
      if (unchecked.has(key)) return put(ref, ...args)
      const ctx: OpContext = { node: nodeName(c, ref), level: o.level, source: source() }
      return op(
        'write',
        key,
        typeof value === 'string' ? value : null,
        ctx,
        () => put(ref, ...args),
        (r) => ({
          value: null,
          ctx: writeCtx(r),
        }),
      )
    },
    read: (ref: unknown, ...args: unknown[]) => {
      const { key, opts: o } = keyArgs(args)
      // A transaction's read sees its own buffer and its snapshot, not the register's real time.
      if (o.txId || unchecked.has(key)) return read(ref, ...args)
      const ctx: OpContext = { node: nodeName(c, ref), level: o.level, source: source() }
      return op(
        'read',
        key,
        null,
        ctx,
        () => read(ref, ...args),
        (r) => ({ value: r.value, ctx: readCtx(r) }),
      )
    },
    delete: (ref: unknown, ...args: unknown[]) => {
      const { key, opts: o } = keyArgs(args)
      if (o.txId) return bufferTx(o.txId, key, null, del(ref, ...args))
      if (unchecked.has(key)) return del(ref, ...args)
      const ctx: OpContext = { node: nodeName(c, ref), level: o.level, source: source() }
      return op(
        'delete',
        key,
        null,
        ctx,
        () => del(ref, ...args),
        (r) => ({ value: null, ctx: writeCtx(r) }),
      )
    },
  }
  wrapTransactions(wrapped)
  const applyCrdt = orig<Cluster['applyCrdt']>('applyCrdt')
  wrapped.applyCrdt = async (ref: number | string, key: string, crdtOp: CrdtRecord['op'], o?: OpOptions) => {
    const node = nodeName(c, ref)
    const downAtInvoke = node !== undefined && c.nodes.find((n) => n.id === node)?.status !== 'up'
    try {
      const r = await applyCrdt(ref, key, crdtOp, o)
      sink.crdt?.({ key, op: crdtOp, outcome: 'ok', node, opId: r.opId, time: now() })
      return r
    } catch (e) {
      const code = isDbError(e) ? e.code : 'uncoded'
      const definite = code === 'BAD_INPUT' || (code === 'NODE_DOWN' && downAtInvoke)
      sink.crdt?.({
        key,
        op: crdtOp,
        outcome: definite ? 'fail' : 'info',
        node,
        errorCode: code,
        time: now(),
      })
      throw e
    }
  }
  // Fault changes: a snapshot after each (and after an async one settles).
  for (const name of ['partition', 'heal', 'setLink'] as const) {
    const fn = orig<(...a: unknown[]) => unknown>(name)
    wrapped[name] = (...a: unknown[]) => {
      const r = fn(...a)
      noteFaults()
      return r
    }
  }
  // One wrapped promise per underlying one: two concurrent restarts share one boot, and callers
  // may rely on getting the same promise back (e2e/lifecycle.spec.ts).
  const settled = new WeakMap<Promise<unknown>, Promise<unknown>>()
  for (const name of ['kill', 'restart', 'pause', 'resume'] as const) {
    const fn = orig<(...a: unknown[]) => Promise<unknown>>(name)
    wrapped[name] = (...a: unknown[]) => {
      const r = fn(...a)
      noteFaults()
      let w = settled.get(r)
      if (!w) {
        w = r.finally(noteFaults)
        settled.set(r, w)
      }
      return w
    }
  }
  const setSkew = orig<Cluster['setClockSkew']>('setClockSkew')
  wrapped.setClockSkew = (ref: number | string, ms: number) => {
    setSkew(ref, ms)
    const id = nodeName(c, ref)
    if (id) skew[id] = ms
    noteFaults()
  }
  Object.assign(target, wrapped)
  noteFaults()
  const intake = new WorkloadIntake({
    process: () => ++process,
    nameWrite: (key, v) => names.write(key, v),
    nameRead: (key, v) => names.read(key, v),
    ops: (batch) => sink.ops(batch),
  })
  return {
    workload: (b) => intake.add(b),
    workloadCounts: intake.counts,
    stop() {
      for (const [name, prev] of saved) {
        if (prev === undefined) delete target[name]
        else target[name] = prev
      }
    },
    nameOf: (key, value) => names.read(key, value),
    now,
    rawRead: (ref, key, o) => read(ref, key, o ?? {}),
  }
}
