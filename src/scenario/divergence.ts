/**
 * Where a worker-runtime replay parted from a simulator replay of the same document: each step's
 * outcome (ok or its error's code, acknowledgements, the value read) from both runs, compared in
 * step order. The simulator's outcomes come from an exact replay (the same instants, settles and
 * trace as `playScenario`: the test compares the hashes); the workers' arrive as their steps settle.
 */
import { applyStep } from './apply'
import { type ActionOutcome, outcomeTap } from './outcomes'
import { SimScenarioRun } from './replay'
import type { ScenarioDoc } from './schema'

/** What is compared of one step's outcome. */
export interface StepResult {
  ok: boolean
  errorCode?: string
  acks?: number
  readValue?: string | null
}

export function stepResultOf(o: ActionOutcome): StepResult {
  const r: StepResult = { ok: o.ok }
  if (o.errorCode !== undefined) r.errorCode = o.errorCode
  if (o.acks !== undefined) r.acks = o.acks
  if (o.readValue !== undefined) r.readValue = o.readValue
  return r
}

/**
 * Replays `doc` on the simulator exactly (as playScenario does: steps at their instants, one burst
 * per instant, a settle before time moves) and returns each step's result, and the trace hash.
 */
export async function simStepResults(
  doc: ScenarioDoc,
): Promise<{ results: StepResult[]; traceHash: string }> {
  // The run applies no steps of its own: this loop applies them, through a tap, at the same points.
  const run = await SimScenarioRun.start({ ...doc, steps: [] })
  const results: StepResult[] = new Array(doc.steps.length)
  const pending: Promise<unknown>[] = []
  try {
    for (const [i, step] of doc.steps.entries()) {
      if (step.at > run.nowMs) await run.runTo(step.at)
      let report: (o: ActionOutcome) => void = () => {}
      const reported = new Promise<void>((resolve) => {
        report = (o) => {
          results[i] = stepResultOf(o)
          resolve()
        }
      })
      const auto = run.cluster.autoDrive
      run.cluster.autoDrive = false
      const out = applyStep(
        outcomeTap(run.cluster, (o) => report(o)),
        step,
      )
      run.cluster.autoDrive = auto
      if (step.action === 'step') await out.done
      // An action the tap does not see (time.step) still has a result: ok or its error.
      pending.push(
        Promise.race([
          reported,
          out.done.then((r) => {
            results[i] ??= r.ok ? { ok: true } : { ok: false, errorCode: r.error.code }
          }),
        ]),
      )
    }
    await run.runTo(doc.durationMs)
    await run.cluster.sim.settleMicrotasks()
    return { results, traceHash: run.traceHex() }
  } finally {
    await run.shutdown()
  }
}

export type Divergence =
  | { state: 'same'; steps: number }
  | { state: 'pending'; settled: number; steps: number }
  | { state: 'diverged'; index: number; sim: StepResult; worker: StepResult }

function same(a: StepResult, b: StepResult): boolean {
  return (
    a.ok === b.ok &&
    a.errorCode === b.errorCode &&
    a.acks === b.acks &&
    (a.readValue ?? null) === (b.readValue ?? null)
  )
}

/** The first step (in order) whose outcomes differ; 'pending' while an earlier worker step is unsettled. */
export function firstDivergence(
  sim: readonly StepResult[],
  worker: readonly (StepResult | undefined)[],
): Divergence {
  for (let i = 0; i < sim.length; i++) {
    const w = worker[i]
    if (!w) return { state: 'pending', settled: i, steps: sim.length }
    if (!same(sim[i], w)) return { state: 'diverged', index: i, sim: sim[i], worker: w }
  }
  return { state: 'same', steps: sim.length }
}

function resultText(r: StepResult): string {
  if (!r.ok) return `failed with ${r.errorCode ?? 'an error'}`
  if (r.readValue !== undefined)
    return r.readValue === null ? 'read nothing' : `read “${r.readValue.slice(0, 40)}”`
  if (r.acks !== undefined) return `ok with ${r.acks} ack${r.acks === 1 ? '' : 's'}`
  return 'ok'
}

/** One line for the page: where the runs parted, or that they have not (yet). */
export function divergenceText(d: Divergence, doc: ScenarioDoc): string {
  if (d.state === 'same') return `Same outcome as a simulator replay at every one of the ${d.steps} steps.`
  if (d.state === 'pending')
    return `Compared with a simulator replay: ${d.settled} of ${d.steps} steps match so far.`
  const step = doc.steps[d.index]
  return `Diverged from a simulator replay at step ${d.index + 1} of ${doc.steps.length} (${step.action} at ${(step.at / 1000).toFixed(1)} s): the simulator ${resultText(d.sim)}, the workers ${resultText(d.worker)}.`
}
