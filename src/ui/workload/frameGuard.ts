/**
 * The page's frame guard: while a workload runs on the worker nodes, the page watches its own frames
 * and lowers a ceiling on the fraction of the offered rate the nodes' generators admit whenever they
 * run late. On 2 cores, 16–32 busy workers leave the page's thread waiting for a core (its own work
 * per store update is ~10% of a core: `npm run bench:ui` with BENCH_PROFILE), so the frames come back
 * only when the workers leave some CPU idle. AIMD like the generators' own admission control: a
 * sample with frames late cuts the ceiling by a factor, a clean one raises it by a step — in two
 * tiers (60 fps while that costs the workload under 30% of its rate, else 30 fps), and slowly near
 * the ceiling where the page last stalled, so the sawtooth does not overshoot into stalls.
 */

/** A frame longer than this (ms) breaks 60 fps (1.5 vsyncs at 60 Hz; rAF timestamps jitter). */
export const FRAME_LATE_MS = 25
/**
 * A frame longer than this (ms) breaks 30 fps (2.5 vsyncs): the page is stalling. The dashboard's
 * saturation target is frame p95 ≤ 33 ms, i.e. at most 5% of frames of 3 vsyncs or more.
 */
export const FRAME_STALLED_MS = 42
/**
 * Share of a sample's frames late (or stalled) above which the guard cuts: 2 of 30 in 500 ms. One
 * late frame holds, none raises, so the page settles at a few percent late (p95 one vsync).
 */
export const LATE_SHARE_HIGH = 0.05
/**
 * Keeping 60 fps may cost the workload at most this share of the offered rate (the 60-fps cuts stop
 * at this ceiling); past it, the guard holds 30 fps and cuts only while frames stall. The first guard
 * cut on every late frame at 25 ms and settled at 11–13% of a 20k offered rate on 16 nodes (1,558–
 * 1,689 of 5k offered), where the machine served 3,195–4,835 ops/s at 30 fps or better.
 */
export const SMOOTH_CEILING_MIN = 0.7
const STALL_DECREASE = 0.8
const LATE_DECREASE = 0.95
const INCREASE = 0.05
/** Near the ceiling of the last stall (within 10% of it) it climbs by this instead (TCP CUBIC's plateau). */
const INCREASE_NEAR_STALL = 0.01
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
  /**
   * The ceiling at which frames last began to stall (the first sample of a run of stalled ones;
   * Infinity once a climb passed it cleanly).
   */
  private stalledAt = Number.POSITIVE_INFINITY
  /** The last sample stalled; and whether it cut (a stalled run cuts every other sample). */
  private stalling = false
  private cutLast = false

  /** An animation frame at `tMs` (its rAF timestamp). */
  frame(tMs: number): void {
    if (this.lastMs !== null && this.deltas.length < DELTAS_MAX) this.deltas.push(tMs - this.lastMs)
    this.lastMs = tMs
  }

  /**
   * The end of a sample period: adjusts the ceiling from the share of the period's frames late and
   * stalled, and returns it, never below `floor` (ceilingFloor of the offered rate). Two tiers:
   * above SMOOTH_CEILING_MIN it keeps 60 fps (cuts gently on late frames); below it only stalls
   * (30 fps broken) cut, hard. No frame at all leaves it as it was in a hidden tab (it draws none)
   * and counts as a stall in a `visible` one: a page too starved to draw a frame in a whole sample
   * is frozen (32 nodes at 5k offered drew 4.4 fps while the guard held at 0.43).
   */
  sample(floor = CEILING_MIN, visible = true): number {
    const d = this.deltas
    this.deltas = []
    const low = Math.max(CEILING_MIN, Math.min(1, floor))
    this.ceiling = Math.max(this.ceiling, low)
    const frozen = d.length === 0 && visible && this.lastMs !== null
    if (d.length === 0 && !frozen) return this.ceiling
    let late = 0
    let stalled = 0
    for (const ms of d) {
      if (ms > FRAME_LATE_MS) late++
      if (ms > FRAME_STALLED_MS) stalled++
    }
    const smooth = this.ceiling >= SMOOTH_CEILING_MIN
    const stalls = frozen || stalled / d.length > LATE_SHARE_HIGH
    const wasStalling = this.stalling
    const cutLast = this.cutLast
    this.stalling = stalls
    this.cutLast = false
    if (stalls) {
      // The cluster answers a cut only once its queues drain: cutting on every stalled sample
      // overshot to a tenth of the rate after one burst (16 @ 5k, 13% admitted). So a run of stalled
      // samples cuts every other one (every one while no frame is drawn at all), and remembers where it
      // began.
      if (!wasStalling) this.stalledAt = this.ceiling
      if (!cutLast || frozen) {
        this.ceiling = Math.max(low, this.ceiling * STALL_DECREASE)
        this.cutLast = true
      }
    } else if (smooth && late / d.length > LATE_SHARE_HIGH)
      this.ceiling = Math.max(
        low,
        Math.min(this.ceiling, Math.max(SMOOTH_CEILING_MIN, this.ceiling * LATE_DECREASE)),
      )
    else if (smooth ? late === 0 : stalled === 0) {
      if (this.ceiling > this.stalledAt) this.stalledAt = Number.POSITIVE_INFINITY
      const near = this.ceiling >= 0.9 * this.stalledAt
      this.ceiling = Math.min(1, this.ceiling + (near ? INCREASE_NEAR_STALL : INCREASE))
    }
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
