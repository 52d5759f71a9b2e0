/**
 * The worker runtime's side of the workload generator: each live node runs one for its share of the
 * rate (core/workload/generator.ts), and the tallies the nodes report with their updates add up here
 * until the page takes them for its charts.
 */
import type { Remote } from 'comlink'
import type { NodeWorkerApi } from '../../workers/nodeWorkerApi'
import type { NodeStatus } from '../cluster/types'
import {
  emptyTally,
  mergeTally,
  validateWorkloadSpec,
  type WorkloadSpec,
  type WorkloadTally,
} from '../core/workload/generator'
import { historySampleEvery, type TapBatch } from '../core/workload/historyTap'
import { unwrap } from './outcome'

export interface WorkloadHost {
  status: NodeStatus
  api: Remote<NodeWorkerApi> | null
}

/** Checker history batches kept until the page takes them (10 s of 16 nodes' updates; then dropped, counted). */
const HISTORY_BATCHES_MAX = 1600

export class NodeWorkloads {
  private tally: WorkloadTally = emptyTally()
  private history: TapBatch[] = []

  constructor(
    private readonly hosts: () => Iterable<WorkloadHost>,
    /** Operations per key the nodes' generators ran (the cluster's hot-spot metrics count them). */
    private readonly onKeyOps: (key: string, n: number) => void = () => {},
    /** Replicas per key (N): a token-aware generator draws candidates at the cluster's rate ÷ N. */
    private readonly replicas: () => number = () => 1,
  ) {}

  /** Splits `spec` across the nodes that are up; paused ones stop (down ones never answer). */
  async start(spec: WorkloadSpec): Promise<void> {
    validateWorkloadSpec(spec)
    const all = [...this.hosts()]
    const live = all.filter((w) => w.status === 'up' && w.api)
    await Promise.all(all.filter((w) => w.status === 'paused').map((w) => w.api?.stopWorkload()))
    // One key sampling for the whole cluster (a key's history is whole or absent), from the total rate.
    const history = { sampleEvery: historySampleEvery(spec.ratePerSec) }
    // Token-aware: each node issues only the keys it owns, out of candidates drawn at rate ÷ N, so
    // each key is drawn by its N owners and the cluster's mix and rate stay the spec's
    // (WorkloadClient.owns). With nodes down a key has N × live ÷ all live owners on average, so the
    // rate is scaled up by all ÷ live (keys whose owners are down get less than their share).
    const share =
      spec.coordinator === 'token-aware'
        ? Math.max(1, Math.min(this.replicas(), live.length) * (live.length / Math.max(1, all.length)))
        : Math.max(1, live.length)
    await Promise.all(
      live.map(async (w, i) =>
        unwrap(
          await (w.api as Remote<NodeWorkerApi>).startWorkload(
            {
              ...spec,
              ratePerSec: spec.ratePerSec / share,
              concurrencyMax: Math.max(1, Math.ceil(spec.concurrencyMax / live.length)),
              seed: spec.seed + i,
            },
            history,
          ),
        ),
      ),
    )
  }

  /** Bounds the admitted fraction of every node's generator (the page's frame guard). */
  async setCeiling(fraction: number): Promise<void> {
    const up = [...this.hosts()].filter((w) => w.status === 'up' && w.api)
    await Promise.all(up.map((w) => w.api?.setWorkloadCeiling(fraction)))
  }

  async stop(): Promise<void> {
    await Promise.all([...this.hosts()].filter((w) => w.status !== 'down').map((w) => w.api?.stopWorkload()))
  }

  /** Adds a node's report (from its update). */
  add(t: WorkloadTally | undefined): void {
    if (!t) return
    for (const [k, n] of Object.entries(t.keyOps ?? {})) this.onKeyOps(k, n)
    const { keyOps: _, keyOpsDropped: __, ...rest } = t // the charts need no per-key counts
    mergeTally(this.tally, rest)
  }

  /** A node's checker history (from its update); past the bound the oldest batch's ops count as dropped. */
  addHistory(b: TapBatch | undefined): void {
    if (!b) return
    this.history.push(b)
    if (this.history.length > HISTORY_BATCHES_MAX) {
      const old = this.history.shift() as TapBatch
      const next = this.history[0]
      next.dropped += old.dropped + old.records.length
      next.skipped += old.skipped
    }
  }

  /** The checker history reported since the last call. */
  takeHistory(): TapBatch[] {
    const h = this.history
    this.history = []
    return h
  }

  /** Everything reported since the last call. */
  take(): WorkloadTally {
    const t = this.tally
    this.tally = emptyTally()
    return t
  }
}
