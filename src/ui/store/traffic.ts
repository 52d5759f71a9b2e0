/** Per-link message counting: raw counts between windows, turned into rates at most twice a second. */
import type { ClusterEvent } from '../../core/events'
import type { LinkTraffic } from '../flow/deriveFlow'

export const TRAFFIC_WINDOW_MS = 500

export interface TrafficCounter {
  sent: Record<string, number>
  dropped: Record<string, number>
  windowStartMs: number
}

export function newTrafficCounter(nowMs: number): TrafficCounter {
  return { sent: {}, dropped: {}, windowStartMs: nowMs }
}

/**
 * Counts send and drop events per directed link `from>to`. With `sendsCounted`, sends come from
 * exact per-link totals instead (the worker runtime samples its message events), so only drops count.
 */
export function countTraffic(c: TrafficCounter, events: readonly ClusterEvent[], sendsCounted = false): void {
  for (const e of events) {
    if (!e.peer) continue
    if (e.type === 'send') {
      if (sendsCounted) continue
      const k = `${e.node}>${e.peer}`
      c.sent[k] = (c.sent[k] ?? 0) + 1
    } else if (e.type === 'drop' && e.msg !== 'ping' && e.msg !== 'pong') {
      const k = `${e.node}>${e.peer}`
      c.dropped[k] = (c.dropped[k] ?? 0) + 1
    }
  }
}

/**
 * Adds what exact cumulative per-link send totals grew by since `prev` (the worker runtime's
 * `traffic` counter) and returns the new baseline. A total that went down restarted: count it whole.
 */
export function countTotals(
  c: TrafficCounter,
  totals: Readonly<Record<string, number>>,
  prev: Readonly<Record<string, number>>,
): Record<string, number> {
  const base: Record<string, number> = {}
  for (const [k, n] of Object.entries(totals)) {
    const was = prev[k] ?? 0
    const d = n >= was ? n - was : n
    if (d > 0) c.sent[k] = (c.sent[k] ?? 0) + d
    base[k] = n
  }
  return base
}

/** Rates for the finished window, or null when the window is not over yet. Resets the counter. */
export function closeWindow(c: TrafficCounter, nowMs: number): Record<string, LinkTraffic> | null {
  const elapsed = nowMs - c.windowStartMs
  if (elapsed < TRAFFIC_WINDOW_MS) return null
  const out: Record<string, LinkTraffic> = {}
  const perSec = 1000 / elapsed
  for (const [k, n] of Object.entries(c.sent)) out[k] = { ratePerSec: n * perSec, dropsPerSec: 0 }
  for (const [k, n] of Object.entries(c.dropped)) {
    out[k] = { ratePerSec: out[k]?.ratePerSec ?? 0, dropsPerSec: n * perSec }
  }
  c.sent = {}
  c.dropped = {}
  c.windowStartMs = nowMs
  return out
}

/** A sampled message drawn as a dot travelling along an edge. */
export interface Pulse {
  id: number
  from: string
  to: string
  dropped: boolean
  bornMs: number
}

export const PULSE_LIFE_MS = 700
const PULSES_PER_FRAME_MAX = 4
const PULSES_MAX = 40

/** Keeps live pulses and adds a few sampled from this frame's events (never one per message). */
export function samplePulses(
  pulses: readonly Pulse[],
  events: readonly ClusterEvent[],
  nowMs: number,
  nextId: () => number,
): Pulse[] {
  const live = pulses.filter((p) => nowMs - p.bornMs < PULSE_LIFE_MS)
  const candidates = events.filter(
    (e) => (e.type === 'send' || e.type === 'drop') && e.peer && e.msg !== 'ping',
  )
  if (candidates.length === 0) return live.length === pulses.length ? (pulses as Pulse[]) : live
  const busy = new Set(live.map((p) => `${p.from}>${p.to}`))
  const stride = Math.max(1, Math.floor(candidates.length / PULSES_PER_FRAME_MAX))
  let added = 0
  for (
    let i = 0;
    i < candidates.length && added < PULSES_PER_FRAME_MAX && live.length < PULSES_MAX;
    i += stride
  ) {
    const e = candidates[i]
    const k = `${e.node}>${e.peer}`
    if (busy.has(k)) continue
    busy.add(k)
    live.push({ id: nextId(), from: e.node, to: e.peer!, dropped: e.type === 'drop', bornMs: nowMs })
    added++
  }
  return live
}
