/**
 * The dashboard's saturation notice: when admission control held operations back (the generators'
 * timers ran late, so the threads could not keep up), say what was offered, what was achieved and
 * why. A browser page cannot read CPU time per thread, so the notice names what is measured: how
 * late the generator timers fired and the share of the offered rate they admitted.
 */
import type { WorkloadSample } from '../store/workloadSlice'

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

/** The notice for the latest sample, or null when the generator is not being held back. */
export function saturationNotice(s: WorkloadSample | undefined): string | null {
  if (!s?.saturated || s.offeredPerSec === undefined) return null
  if (s.opsPerSec >= s.offeredPerSec * 0.9) return null
  const lag = s.lagMs !== undefined ? `generator timers ${fmt(s.lagMs)} ms late` : 'generator timers late'
  const admitted =
    s.admitFraction !== undefined ? `; admitting ${fmt(s.admitFraction * 100)}% of the offered rate` : ''
  return `offered ${fmt(s.offeredPerSec)} · achieved ${fmt(s.opsPerSec)} · the machine is CPU-bound (${lag}${admitted})`
}
