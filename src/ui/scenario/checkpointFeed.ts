/**
 * The page's time-travel checkpoints: one pool (src/scenario/checkpoints.ts) fed with the simulator
 * session's timeline (the live recording, or the timeline the scrubber froze), rolling its
 * checkpoints in idle time so the page's frames and the live run's clock ticks go first.
 */
import { CHECKPOINT_DEFAULTS, CheckpointPool } from '../../scenario/checkpoints'
import type { ScenarioDoc } from '../../scenario/schema'

type IdleWindow = { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number }

/** Resolves in the page's next idle period (at most 100 ms later; a busy page still gets slices). */
function idleSlice(): Promise<void> {
  const w = globalThis as IdleWindow
  return new Promise((r) => {
    if (w.requestIdleCallback) w.requestIdleCallback(() => r(), { timeout: 100 })
    else setTimeout(r, 0)
  })
}

let pool: CheckpointPool | null = null
let enabled = true

/** Turns checkpoints off (every scrub back re-executes from t = 0, as before them: the bench's baseline) or on. */
export function setCheckpointsEnabled(on: boolean): void {
  enabled = on
  if (!on) pool?.clear()
}

/** The page's pool (created on first use). */
export function checkpointPool(): CheckpointPool {
  pool ??= new CheckpointPool({ ...CHECKPOINT_DEFAULTS, yieldSlice: idleSlice })
  return pool
}

/** The timeline to keep checkpoints for; null (worker runtime) drops them all. */
export function feedTimeline(doc: ScenarioDoc | null, frozen: boolean): void {
  if (doc === null || !enabled) pool?.clear()
  else checkpointPool().setTimeline(doc, frozen)
}
