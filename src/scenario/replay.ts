/**
 * Replaying a scenario on the simulator, exactly: a fresh cluster from the document's options and
 * seed, its workload started at t = 0, each step applied at its virtual time (after every event due
 * by then, as the live page applied it between clock ticks), and the trace hashed as it runs. The
 * same document gives the same trace hash on every replay, in Node and in the page.
 *
 * Time travel: `runTo(t)` moves forward on the same cluster; going back starts from the nearest
 * checkpoint at or before t (a run kept paused there, `checkpoints.ts`), else from t = 0, and replays
 * to t (deterministic re-execution; see ARCHITECTURE.md for why not serialised core snapshots).
 */
import { createCluster } from '../cluster/createCluster'
import type { DbErrorData } from '../core/errors'
import type { WorkloadSpec } from '../core/workload/generator'
import type { SimCluster } from '../sim/simCluster'
import { applyStep } from './apply'
import { clusterOptionsOf } from './codec'
import type { ScenarioDoc } from './schema'
import { TraceHash } from './traceHash'

/** A step that failed when replayed (it may have failed in the recorded run too: a put to a dead node). */
export interface StepFailure {
  index: number
  error: DbErrorData
}

export class SimScenarioRun {
  /** Index of the next step to apply. */
  private next = 0
  readonly failures: StepFailure[] = []
  private untap: () => void

  private constructor(
    private timeline: ScenarioDoc,
    readonly cluster: SimCluster,
    readonly hash: TraceHash,
    /** Virtual time when the cluster was up (steps are at absolute virtual times). */
    readonly startMs: number,
  ) {
    this.untap = cluster.tapEvents((e) => hash.add(e))
  }

  /** Creates the document's cluster (simulator runtime), at its start, nothing applied yet. */
  static async start(doc: ScenarioDoc): Promise<SimScenarioRun> {
    const cluster = (await createCluster(clusterOptionsOf(doc, 'sim'))) as SimCluster
    const run = new SimScenarioRun(doc, cluster, new TraceHash(), cluster.sim.nowMs)
    cluster.autoDrive = false
    if (doc.workload) await cluster.startWorkload(doc.workload as WorkloadSpec)
    return run
  }

  /** The document this run replays. */
  get doc(): ScenarioDoc {
    return this.timeline
  }

  /**
   * Goes on along `doc` instead: a later timeline that agrees with this run's so far (a checkpoint
   * rolled from a shorter recording, handed to the scrubber). The caller checks the agreement
   * (`agreesUpTo` in checkpoints.ts): the steps already applied must be `doc`'s.
   */
  rebase(doc: ScenarioDoc): void {
    this.timeline = doc
  }

  /** Virtual time now. */
  get nowMs(): number {
    return this.cluster.sim.nowMs
  }

  /** Steps applied so far. */
  get applied(): number {
    return this.next
  }

  /**
   * Runs forward to virtual time `tMs` (clamped to now), applying every step due by then. Steps at one
   * instant run back to back, as one burst of calls in the page does; pending promise callbacks settle
   * before time moves on, as they do between a click and the page's next clock tick.
   */
  async runTo(tMs: number): Promise<void> {
    // Replayed calls never drive time themselves (a paused page's clock would let them).
    const auto = this.cluster.autoDrive
    this.cluster.autoDrive = false
    try {
      await this.replayTo(tMs)
    } finally {
      this.cluster.autoDrive = auto
    }
  }

  private async replayTo(tMs: number): Promise<void> {
    const steps = this.timeline.steps
    while (this.next < steps.length && steps[this.next].at <= tMs) {
      const i = this.next++
      const step = steps[i]
      if (step.at > this.nowMs) await this.advance(step.at)
      const out = applyStep(this.cluster, step)
      // A single step moves time itself: wait for it; every other call completes as time moves.
      if (step.action === 'step') await out.done
      void out.done.then((r) => {
        if (!r.ok) this.failures.push({ index: i, error: r.error })
      })
    }
    if (tMs > this.nowMs) await this.advance(tMs)
    else await this.cluster.sim.settleMicrotasks()
  }

  private async advance(toMs: number): Promise<void> {
    await this.cluster.sim.settleMicrotasks()
    await this.cluster.runToMs(toMs)
  }

  /** The trace hash of everything run so far. */
  traceHex(): string {
    return this.hash.hex()
  }

  /** Stops hashing and shuts the cluster down. */
  async shutdown(): Promise<void> {
    this.untap()
    await this.cluster.shutdown()
  }

  /** Stops hashing and hands the cluster over (the page keeps it running as a branch). */
  detach(): SimCluster {
    this.untap()
    return this.cluster
  }
}

/** Plays a document to its end on the simulator; returns the run (cluster left at the end) and hash. */
export async function playScenario(doc: ScenarioDoc): Promise<{ run: SimScenarioRun; traceHash: string }> {
  const run = await SimScenarioRun.start(doc)
  await run.runTo(doc.durationMs)
  return { run, traceHash: run.traceHex() }
}
