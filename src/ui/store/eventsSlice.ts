/** Events slice: the bounded timeline, per-link traffic rates, sampled pulses and Merkle exchanges. */
import type { StateCreator } from 'zustand'
import type { NodeSnapshot } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import type { LinkTraffic } from '../flow/deriveFlow'
import type { CoalescedBatch } from '../model/coalescer'
import type { AppState } from './store'
import {
  closeWindow,
  countTraffic,
  newTrafficCounter,
  PULSE_LIFE_MS,
  type Pulse,
  samplePulses,
} from './traffic'

export const TIMELINE_MAX = 400
const MERKLE_EVENTS_MAX = 100

export interface EventsSlice {
  events: ClusterEvent[]
  eventsTotal: number
  traffic: Record<string, LinkTraffic>
  pulses: Pulse[]
  merkleEvents: ClusterEvent[]
  /** How many times a batch was applied (the benchmark checks ≤ one per frame). */
  applyCount: number
  applyBatch(batch: CoalescedBatch): void
  /** Closes the traffic window even when no events arrive (rates fall to zero). */
  tickTraffic(): void
}

const counter = newTrafficCounter(0)
/** Node snapshots are applied at most this often (events and pulses every frame): the numbers stay readable and big clusters stay smooth. */
export const SNAPSHOT_INTERVAL_MS = 100
const pendingSnapshots = new Map<string, NodeSnapshot>()
let lastSnapshotMs = 0
let pulseSeq = 0

function isTimelineEvent(e: ClusterEvent): boolean {
  return e.type !== 'send' && e.type !== 'deliver'
}

export const eventsSlice: StateCreator<AppState, [], [], EventsSlice> = (set, get) => ({
  events: [],
  eventsTotal: 0,
  traffic: {},
  pulses: [],
  merkleEvents: [],
  applyCount: 0,
  applyBatch: (batch) => {
    const now = performance.now()
    const s = get()
    countTraffic(counter, batch.events)
    const traffic = closeWindow(counter, now)
    for (const [id, snap] of batch.nodes) pendingSnapshots.set(id, snap)
    let snapshots = s.snapshots
    if (pendingSnapshots.size > 0 && now - lastSnapshotMs >= SNAPSHOT_INTERVAL_MS) {
      snapshots = { ...s.snapshots }
      for (const [id, snap] of pendingSnapshots) if (id in snapshots) snapshots[id] = snap
      pendingSnapshots.clear()
      lastSnapshotMs = now
    }
    const kept = batch.events.filter(isTimelineEvent)
    const events =
      kept.length === 0 ? s.events : s.events.concat(kept.slice(-TIMELINE_MAX)).slice(-TIMELINE_MAX)
    const merkle = batch.events.filter((e) => e.type === 'merkle-exchange')
    set({
      snapshots,
      events,
      eventsTotal: s.eventsTotal + batch.events.length + batch.droppedEvents,
      pulses: samplePulses(s.pulses, batch.events, now, () => ++pulseSeq),
      merkleEvents: merkle.length ? s.merkleEvents.concat(merkle).slice(-MERKLE_EVENTS_MAX) : s.merkleEvents,
      applyCount: s.applyCount + 1,
      ...(traffic ? { traffic } : {}),
    })
  },
  tickTraffic: () => {
    const now = performance.now()
    const traffic = closeWindow(counter, now)
    if (!traffic) return
    const pulses = get().pulses.filter((p) => now - p.bornMs < PULSE_LIFE_MS)
    let snapshots = get().snapshots
    if (pendingSnapshots.size > 0) {
      snapshots = { ...snapshots }
      for (const [id, snap] of pendingSnapshots) if (id in snapshots) snapshots[id] = snap
      pendingSnapshots.clear()
      lastSnapshotMs = now
    }
    set({ traffic, pulses, snapshots })
  },
})
