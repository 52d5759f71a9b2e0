/**
 * The page's frame guard: while a workload runs on the worker nodes, the page watches its own frames
 * and lowers a ceiling on the fraction of the offered rate the nodes' generators admit whenever they
 * run late. On 2 cores, 16–32 busy workers leave the page's thread waiting for a core (its own work
 * per store update is ~10% of a core: `npm run bench:ui` with BENCH_PROFILE), so the frames come back
 * only when the workers leave some CPU idle. AIMD like the generators' own admission control: a
 * late sample cuts the ceiling by a factor, an on-time one raises it by a step.
 */

/** Frame p95 (ms) over a sample above which the ceiling falls (two dropped frames of 60 in 1 s: p95 33). */
export const FRAME_P95_MS_HIGH = 25
/** Frame p95 (ms) below which the ceiling climbs back. */
export const FRAME_P95_MS_LOW = 18
const DECREASE = 0.8
const INCREASE = 0.05
export const CEILING_MIN = 0.05
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
   * The end of a sample period: adjusts the ceiling from the period's frame p95 and returns it. No
   * frame at all (a hidden tab draws none) leaves it as it was.
   */
  sample(): number {
    const d = this.deltas
    this.deltas = []
    if (d.length === 0) return this.ceiling
    d.sort((a, b) => a - b)
    const p95 = d[Math.floor(0.95 * (d.length - 1))]
    if (p95 > FRAME_P95_MS_HIGH) this.ceiling = Math.max(CEILING_MIN, this.ceiling * DECREASE)
    else if (p95 < FRAME_P95_MS_LOW) this.ceiling = Math.min(1, this.ceiling + INCREASE)
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
