/**
 * Admission control for a workload generator: when the machine cannot keep up, the generator admits
 * fewer operations than it is offered, so the cluster loses throughput and the page keeps its frames.
 * The signal is measured where the generator runs: how late its own tick timer fires (a thread that
 * cannot get a core, or is busy with node work, runs its timers late). Saturated: the admitted
 * fraction (of the rate, and of the in-flight cap, so queued work shrinks too) falls by a factor each
 * tick; otherwise it climbs back additively (AIMD, as TCP does).
 * Operation latency is smoothed and shown but does not throttle: a slow link or a partition (the
 * scenarios users set up) makes ops slow without the machine being busy, and the generator's
 * in-flight cap (concurrencyMax) already bounds what slow ops can pile up.
 */

/** Timer lateness (ms, smoothed) from which the thread counts as saturated. */
export const LAG_MS_SATURATED = 15
const FRACTION_MIN = 0.02
const DECREASE = 0.85
const INCREASE = 0.02
/** Smoothing of the two signals per sample (higher = faster). */
const ALPHA = 0.2

export interface AdmissionState {
  /** Fraction of the offered rate admitted now, in [FRACTION_MIN, 1] (the ceiling included). */
  fraction: number
  /** The bound set from outside (the page's frame guard, `setCeiling`); 1 = none. */
  ceiling: number
  saturated: boolean
  /** Smoothed timer lateness and operation latency (ms). */
  lagMs: number
  latencyMs: number
}

export class Admission {
  private fraction = 1
  private lagMs = 0
  private latencyMs = 0
  private sawLatency = false
  private ceiling = 1

  /**
   * Bounds the admitted fraction from outside: the page lowers it while its frames run late (the
   * workers take the cores the page needs to draw), so the cluster loses throughput, not the page.
   */
  setCeiling(fraction: number): void {
    this.ceiling = Number.isFinite(fraction) ? Math.min(1, Math.max(FRACTION_MIN, fraction)) : 1
  }

  private effective(): number {
    return Math.min(this.fraction, this.ceiling)
  }

  /** One generator tick whose timer fired `lagMs` late; adjusts the admitted fraction. */
  tick(lagMs: number): void {
    this.lagMs += ALPHA * (Math.max(0, lagMs) - this.lagMs)
    this.fraction = this.saturated()
      ? Math.max(FRACTION_MIN, this.fraction * DECREASE)
      : Math.min(1, this.fraction + INCREASE)
  }

  /** A completed operation took `ms`. */
  noteLatency(ms: number): void {
    if (!this.sawLatency) {
      this.latencyMs = ms
      this.sawLatency = true
      return
    }
    this.latencyMs += (ALPHA / 8) * (ms - this.latencyMs)
  }

  /** The rate to issue at, out of `offeredPerSec`. */
  admitted(offeredPerSec: number): number {
    return offeredPerSec * this.effective()
  }

  /** Operations allowed in flight, out of `concurrencyMax`: queued work shrinks with the rate. */
  inFlightCap(concurrencyMax: number): number {
    return Math.max(1, Math.ceil(concurrencyMax * this.effective()))
  }

  saturated(): boolean {
    return this.lagMs > LAG_MS_SATURATED
  }

  state(): AdmissionState {
    return {
      fraction: this.effective(),
      ceiling: this.ceiling,
      saturated: this.saturated(),
      lagMs: this.lagMs,
      latencyMs: this.latencyMs,
    }
  }
}
