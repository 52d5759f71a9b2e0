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
import { unwrap } from './outcome'

export interface WorkloadHost {
  status: NodeStatus
  api: Remote<NodeWorkerApi> | null
}

export class NodeWorkloads {
  private tally: WorkloadTally = emptyTally()

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
          await (w.api as Remote<NodeWorkerApi>).startWorkload({
            ...spec,
            ratePerSec: spec.ratePerSec / share,
            concurrencyMax: Math.max(1, Math.ceil(spec.concurrencyMax / live.length)),
            seed: spec.seed + i,
          }),
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

  /** Everything reported since the last call. */
  take(): WorkloadTally {
    const t = this.tally
    this.tally = emptyTally()
    return t
  }
}
