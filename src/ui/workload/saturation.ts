/**
 * The dashboard's saturation notice: when the cluster serves well under what is offered, say what
 * was offered, what was achieved and why, from what the generators measure. Two signals: their
 * timers ran late (the threads could not get a core; admission control then throttles), or their
 * ticks kept ending with ops due and every in-flight slot taken (ops wait on replies: on this
 * machine's 2 cores the timers of 16 busy workers still fire on time, so this is the signal that
 * shows). A browser page cannot read CPU time per thread, so the notice names what is measured, and
 * calls a full cap CPU-bound only when no fault is in effect and replies are slow (a low cap with
 * fast replies is the cap's doing; a slow link or disk the fault's). Third, in the worker runtime:
 * the page's frame guard (frameGuard.ts) lowered what the nodes admit because its frames ran late.
 */
import type { WorkloadSample } from '../store/workloadSlice'

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

/** Share of generator ticks ending with ops waiting on the in-flight cap from which the cap is "full". */
export const HELD_SHARE_MIN = 0.5
/** Median latency (ms) from which a full cap means the machine, not the cap, is what limits. */
export const CPU_BOUND_P50_MS = 50

/**
 * The notice for the latest sample, or null when the cluster keeps up. `faultsInEffect`: a fault
 * rule (latency, loss, a slow disk, ...) is in force, so slow replies are not the machine's.
 */
export function saturationNotice(s: WorkloadSample | undefined, faultsInEffect = false): string | null {
  if (!s || s.offeredPerSec === undefined) return null
  if (s.opsPerSec >= s.offeredPerSec * 0.9) return null
  const held = (s.heldShare ?? 0) >= HELD_SHARE_MIN
  const framesLate = (s.frameCeiling ?? 1) < 1
  if (!s.saturated && !held && !framesLate) return null
  const head = `offered ${fmt(s.offeredPerSec)} · achieved ${fmt(s.opsPerSec)} · `
  if (s.saturated) {
    const lag = s.lagMs !== undefined ? `generator timers ${fmt(s.lagMs)} ms late` : 'generator timers late'
    const admitted =
      s.admitFraction !== undefined ? `; admitting ${fmt(s.admitFraction * 100)}% of the offered rate` : ''
    return `${head}the machine is CPU-bound (${lag}${admitted})`
  }
  if (framesLate)
    return `${head}the machine is CPU-bound (the page's frames ran late: the nodes admit ${fmt((s.frameCeiling ?? 1) * 100)}% of the offered rate so the page keeps drawing)`
  const slots = `every in-flight slot taken in ${fmt((s.heldShare ?? 0) * 100)}% of generator ticks, p50 latency ${fmt(s.p50Ms)} ms`
  if (faultsInEffect) return `${head}the cluster cannot keep up (${slots}; the faults in effect slow it)`
  if (s.p50Ms < CPU_BOUND_P50_MS) return `${head}the in-flight cap limits it (${slots}; raise Max in flight)`
  return `${head}the machine is CPU-bound (${slots}; generator timers on time)`
}
