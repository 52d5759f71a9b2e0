/**
 * The simulator's side of the workload generator: the core generator (core/workload/generator.ts) on
 * virtual-time timers, so a workload is part of the deterministic run: the same spec started at the
 * same virtual instant issues the same operations at the same instants on every replay. Each op goes
 * to a live node drawn from a generator of its own seed; token-aware ops are then routed to an owner.
 */
import { workloadTapResults } from '../cluster/tapResults'
import { quorumFor } from '../core/node/coordinator'
import type { DbNode } from '../core/node/dbNode'
import { ownerRead, ownerWrite } from '../core/node/ownerRouting'
import {
  emptyTally,
  mergeTally,
  validateWorkloadSpec,
  WorkloadGenerator,
  type WorkloadSpec,
  type WorkloadTally,
} from '../core/workload/generator'
import { HistoryTap, historySampleEvery, type TapBatch } from '../core/workload/historyTap'
import { mulberry32 } from '../core/workload/keys'
import type { Simulator } from './simulator'

export interface SimWorkloadHost {
  readonly sim: Simulator
  /** Nodes that are up, in index order. */
  liveNodes(): DbNode[]
  /** A client write/read through `node` as the cluster's own put/get would issue it (without driving time). */
  write(node: DbNode, key: string, value: string, level: WorkloadSpec['level']): Promise<unknown>
  read(node: DbNode, key: string, level: WorkloadSpec['level']): Promise<unknown>
  /** Counts operations per key for the hot-spot metrics. */
  onKeyOps(key: string, n: number): void
}

export class SimWorkloads {
  private gen: WorkloadGenerator | null = null
  private tally: WorkloadTally = emptyTally()
  private nextHandle = 1
  private readonly cancelled = new Set<number>()
  /** The generator's ops as checker history (one tap for the cluster's life; ids stay unique). */
  private readonly tap: HistoryTap

  constructor(private readonly host: SimWorkloadHost) {
    this.tap = new HistoryTap({
      tag: 'sim',
      sampleEvery: 1,
      nowMs: () => host.sim.nowMs,
      results: workloadTapResults,
    })
  }

  /** The ops recorded since the last call (for the live checker), or null. */
  takeHistory(): TapBatch | null {
    return this.tap.take()
  }

  /** Replaces the running generator with one for `spec` (BAD_INPUT for a bad spec, nothing changed). */
  start(spec: WorkloadSpec): void {
    validateWorkloadSpec(spec)
    this.stop()
    this.tap.restart(historySampleEvery(spec.ratePerSec))
    const pickNode = mulberry32((spec.seed ^ 0x9e3779b9) >>> 0)
    const via = (): DbNode => {
      const live = this.host.liveNodes()
      if (live.length === 0) throw Object.assign(new Error('no node is up'), { code: 'NODE_DOWN' })
      return live[Math.floor(pickNode() * live.length)]
    }
    const tokenAware = spec.coordinator === 'token-aware'
    // Token-aware: as a token-aware driver does, straight to a live owner (as the worker runtime's
    // generators, which issue only their own keys): no forward hop.
    const viaOwner = (key: string, level: WorkloadSpec['level']): DbNode => {
      const live = this.host.liveNodes()
      const any = live[0]
      if (!any) return via()
      const { owners } = any.routes.route(key, quorumFor(any, level).n)
      const up = live.filter((n) => owners.includes(n.id))
      return up.length > 0 ? up[Math.floor(pickNode() * up.length)] : via()
    }
    const h = this.host
    this.gen = new WorkloadGenerator(
      spec,
      {
        put: async (key, value, level) => {
          const n = tokenAware ? viaOwner(key, level) : via()
          return this.tap.run('write', key, level, n.id, value, (v) =>
            tokenAware ? ownerWrite(n, key, v, level) : h.write(n, key, v, level),
          )
        },
        read: async (key, level) => {
          const n = tokenAware ? viaOwner(key, level) : via()
          return this.tap.run('read', key, level, n.id, null, () =>
            tokenAware ? ownerRead(n, key, level) : h.read(n, key, level),
          )
        },
      },
      {
        set: (ms, fn) => {
          const handle = this.nextHandle++
          h.sim.schedule(
            ms,
            () => {
              if (!this.cancelled.delete(handle)) fn()
            },
            () => ({ text: 'workload tick' }),
          )
          return handle
        },
        clear: (handle) => {
          this.cancelled.add(handle)
        },
      },
      () => h.sim.nowMs,
    )
  }

  stop(): void {
    if (!this.gen) return
    this.gen.stop()
    this.fold()
    this.gen = null
  }

  get running(): boolean {
    return this.gen?.running ?? false
  }

  /** Completions since the last call (charts). */
  take(): WorkloadTally {
    this.fold()
    const t = this.tally
    this.tally = emptyTally()
    return t
  }

  private fold(): void {
    if (!this.gen) return
    const t = this.gen.take()
    for (const [k, n] of Object.entries(t.keyOps ?? {})) this.host.onKeyOps(k, n)
    const { keyOps: _, keyOpsDropped: __, ...rest } = t
    mergeTally(this.tally, rest)
  }
}
