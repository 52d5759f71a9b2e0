/** Runs one scenario step against a cluster: the Cluster API call it names, with its arguments. */
import type { Cluster } from '../cluster/types'
import { type DbErrorData, toErrorData } from '../core/errors'
import type { ScenarioStep } from './schema'

/** What a step did when replayed: its promise (settled later) or the error it threw at once. */
export interface StepOutcome {
  step: ScenarioStep
  done: Promise<{ ok: true } | { ok: false; error: DbErrorData }>
}

/** Starts the step's call now (never awaited here: the call completes as virtual time moves). */
export function applyStep(cluster: Cluster, step: ScenarioStep): StepOutcome {
  const settle = (p: unknown) =>
    Promise.resolve(p).then(
      () => ({ ok: true as const }),
      (e: unknown) => ({ ok: false as const, error: toErrorData(e) }),
    )
  try {
    if (step.action === 'step') return { step, done: settle(cluster.time.step()) }
    const fn = (cluster as unknown as Record<string, (...a: unknown[]) => unknown>)[step.action]
    if (typeof fn !== 'function')
      throw Object.assign(new Error(`this runtime has no ${step.action}`), { code: 'BAD_INPUT' })
    const out = fn.apply(cluster, step.args as unknown[])
    const done = settle(out)
    return { step, done }
  } catch (e) {
    return { step, done: Promise.resolve({ ok: false, error: toErrorData(e) }) }
  }
}
