/**
 * The node-side workload's ops (core/workload/historyTap.ts batches, from the node workers or the
 * simulator's generator) turned into the live history: each op becomes its own Jepsen process, its
 * values named as the page's recorder names them (so console and workload ops on one key agree), its
 * context (coordinator, level, version, acks, op id, replies, error) kept for the causes.
 */

import type { LiveOp } from '../core/checker/incremental'
import type { OpContext } from '../core/checker/opContext'
import type { TapBatch, TapRecord } from '../core/workload/historyTap'

/** Ops invoked and not yet completed, per tap (bounded: a tap that vanished leaves its ops open). */
const OPEN_MAX = 20_000

export interface WorkloadIntakeHost {
  process(): number
  nameWrite(key: string, value: string): string
  nameRead(key: string, value: string | null): string | null
  /** The batch's ops, in order. */
  ops(batch: LiveOp[]): void
}

/** Totals of what the node-side workload did and did not show the checker. */
export interface WorkloadIntakeCounts {
  recorded: number
  skipped: number
  dropped: number
  /** The sampling of the last batch (1 = every key). */
  sampleEvery: number
}

function invokeCtx(r: TapRecord): OpContext {
  const ctx: OpContext = { node: r.node, source: 'workload' }
  if (r.level !== undefined) ctx.level = r.level
  return ctx
}

function doneCtx(r: TapRecord): OpContext {
  if (r.outcome !== 'ok') return { errorCode: r.errorCode ?? 'uncoded', errorMessage: r.errorMessage ?? '' }
  const ctx: OpContext = {}
  if (r.version) ctx.version = r.version
  if (r.acks) ctx.acks = r.acks
  if (r.opId) ctx.opId = r.opId
  if (r.replies) ctx.replies = r.replies
  return ctx
}

export class WorkloadIntake {
  private readonly open = new Map<string, { process: number; value: string | null }>()
  readonly counts: WorkloadIntakeCounts = { recorded: 0, skipped: 0, dropped: 0, sampleEvery: 1 }

  constructor(private readonly host: WorkloadIntakeHost) {}

  add(b: TapBatch): void {
    this.counts.skipped += b.skipped
    this.counts.dropped += b.dropped
    this.counts.sampleEvery = b.sampleEvery
    const out: LiveOp[] = []
    for (const r of b.records) {
      const id = `${b.tag}:${r.id}`
      let open = this.open.get(id)
      if (r.startMs !== undefined) {
        const value = r.f === 'write' ? this.host.nameWrite(r.key, r.value ?? '') : null
        open = { process: this.host.process(), value }
        this.counts.recorded++
        out.push({
          process: open.process,
          type: 'invoke',
          f: r.f,
          key: r.key,
          value,
          time: r.startMs,
          ctx: invokeCtx(r),
        })
        if (r.outcome === undefined) {
          if (this.open.size >= OPEN_MAX) this.open.delete(this.open.keys().next().value as string)
          this.open.set(id, open)
          continue
        }
      } else this.open.delete(id)
      if (!open || r.outcome === undefined || r.endMs === undefined) continue
      const value = r.f === 'read' ? this.host.nameRead(r.key, r.value ?? null) : open.value
      out.push({
        process: open.process,
        type: r.outcome,
        f: r.f,
        key: r.key,
        value,
        time: r.endMs,
        ctx: doneCtx(r),
      })
    }
    if (out.length > 0) this.host.ops(out)
  }
}
