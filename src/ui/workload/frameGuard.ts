/**
 * The page's frame guard: while a workload runs on the worker nodes, the page watches its own frames
 * and lowers a ceiling on the fraction of the offered rate the nodes' generators admit whenever they
 * run late. On 2 cores, 16–32 busy workers leave the page's thread waiting for a core (its own work
 * per store update is ~10% of a core: `npm run bench:ui` with BENCH_PROFILE), so the frames come back
 * only when the workers leave some CPU idle. AIMD like the generators' own admission control: a
 * sample with frames dropped cuts the ceiling by a factor, a clean one raises it by a step.
 */

/** A frame longer than this (ms) is a dropped one at 60 Hz (1.5 vsyncs; rAF timestamps jitter). */
export const FRAME_LATE_MS = 25
/**
 * Share of a sample's frames dropped above which the ceiling falls: 2 of 30 in 500 ms. One dropped
 * frame holds it, none raises it, so the page settles at a few percent dropped (frame p95 16.7 ms):
 * the dashboard's target is p95 ≤ 33 ms, i.e. under 5% dropped over a run.
 */
export const DROPPED_SHARE_HIGH = 0.05
const DECREASE = 0.8
const INCREASE = 0.05
export const CEILING_MIN = 0.05
/**
 * The guard never cuts the offered rate below this (ops/s): a page that drops frames at a few hundred
 * ops/s drops them for reasons of its own (its rendering, another program), and throttling the
 * workers would only cost the workload (e2e on 2 loaded cores: 200 offered cut to 10).
 */
export const GUARDED_RATE_MIN_PER_SEC = 500

/** The lowest ceiling for an offered rate: 1 (no guard) up to GUARDED_RATE_MIN_PER_SEC. */
export function ceilingFloor(offeredPerSec: number): number {
  if (!(offeredPerSec > GUARDED_RATE_MIN_PER_SEC)) return 1
  return Math.max(CEILING_MIN, GUARDED_RATE_MIN_PER_SEC / offeredPerSec)
}
const DELTAS_MAX = 600

export class FrameGuard {
  private deltas: number[] = []
  private lastMs: number | null = null
  ceiling = 1

  /** An animation frame at `tMs` (its rAF timestamp). */
  frame(tMs: number): void {
    if (this.lastMs !== null && this.deltas.length < DELTAS_MAX) this.deltas.push(tMs - this.lastMs)
    this.lastMs = tMs
  }

  /**
   * The end of a sample period: adjusts the ceiling from the share of the period's frames dropped
   * and returns it, never below `floor` (ceilingFloor of the offered rate). No frame at all (a
   * hidden tab draws none) leaves it as it was.
   */
  sample(floor = CEILING_MIN): number {
    const d = this.deltas
    this.deltas = []
    this.ceiling = Math.max(this.ceiling, Math.min(1, floor))
    if (d.length === 0) return this.ceiling
    let dropped = 0
    for (const ms of d) if (ms > FRAME_LATE_MS) dropped++
    const share = dropped / d.length
    if (share > DROPPED_SHARE_HIGH) this.ceiling = Math.max(floor, CEILING_MIN, this.ceiling * DECREASE)
    else if (dropped === 0) this.ceiling = Math.min(1, this.ceiling + INCREASE)
    return this.ceiling
  }
}

/** Feeds `guard` every animation frame until the returned stop is called (nothing where rAF is absent). */
export function watchFrames(guard: FrameGuard): () => void {
  if (typeof requestAnimationFrame !== 'function') return () => {}
  let handle = 0
  const onFrame = (t: number): void => {
    guard.frame(t)
    handle = requestAnimationFrame(onFrame)
  }
  handle = requestAnimationFrame(onFrame)
  return () => cancelAnimationFrame(handle)
}
