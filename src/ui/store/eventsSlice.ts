/** Events slice: the bounded timeline, per-link traffic rates, sampled pulses and Merkle exchanges. */
import type { StateCreator } from 'zustand'
import type { Cluster, NodeSnapshot } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import { diagramLog } from '../diagram/diagramLog'
import type { LinkTraffic } from '../flow/deriveFlow'
import type { CoalescedBatch } from '../model/coalescer'
import { foldHintDelivers } from '../model/hintDrains'
import { faultPatch, membersPatch } from './clusterSlice'
import type { AppState } from './store'
import {
  closeWindow,
  countTotals,
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
/** From 13 nodes (compact cards) the numbers refresh 4× a second: 16–32 cards re-rendering at 10 Hz cost frames. */
export const SNAPSHOT_INTERVAL_LARGE_MS = 250
const pendingSnapshots = new Map<string, NodeSnapshot>()
let lastSnapshotMs = 0
/** When a batch was last applied: while batches flow, they close the traffic windows themselves. */
let lastApplyMs = Number.NEGATIVE_INFINITY
/**
 * The tick closes a traffic window only after this long without a batch. Batches come at most 800 ms
 * apart (coalescer.ts), so under load the tick never writes the store: at 16 nodes (batches 480 ms
 * apart, windows 500 ms) it used to close every window itself, a second store write (and one late
 * frame) twice a second besides the batches' own (probe-frames.mjs: 4 of the 14 late frames in 5 s).
 */
const TICK_IDLE_MS = 1000
let pulseSeq = 0
/** The worker runtime's exact cumulative send counts per link (`WorkerCluster.traffic`), and our baseline. */
let totalsOwner: unknown = null
let totalsBase: Record<string, number> = {}

/** Exact per-link send totals (`Cluster.traffic`, kept by both runtimes). */
function exactTotals(cluster: Cluster | null): Readonly<Record<string, number>> | null {
  return cluster?.traffic ?? null
}

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
    lastApplyMs = now
    const s = get()
    const totals = exactTotals(s.cluster)
    if (totals) {
      if (totalsOwner !== s.cluster) {
        totalsOwner = s.cluster
        totalsBase = { ...totals }
      }
      totalsBase = countTotals(counter, totals, totalsBase)
    }
    countTraffic(counter, batch.events, totals !== null)
    diagramLog.ingest(s.cluster, batch.events, s.cluster?.traffic, now, batch.droppedEvents)
    const traffic = closeWindow(counter, now)
    for (const [id, snap] of batch.nodes) pendingSnapshots.set(id, snap)
    const members = membersPatch(s)
    let snapshots = members?.snapshots ?? s.snapshots
    const every = s.members.length >= 13 ? SNAPSHOT_INTERVAL_LARGE_MS : SNAPSHOT_INTERVAL_MS
    if (pendingSnapshots.size > 0 && now - lastSnapshotMs >= every) {
      snapshots = { ...snapshots }
      for (const [id, snap] of pendingSnapshots) if (id in snapshots) snapshots[id] = snap
      pendingSnapshots.clear()
      lastSnapshotMs = now
    }
    const kept = batch.events.filter(isTimelineEvent)
    const events =
      kept.length === 0 ? s.events : s.events.concat(kept.slice(-TIMELINE_MAX)).slice(-TIMELINE_MAX)
    const merkle = batch.events.filter((e) => e.type === 'merkle-exchange')
    const hintDrains = kept.length === 0 ? s.hintDrains : foldHintDelivers(s.hintDrains, kept)
    // Faults and membership are cheap getters on the cluster: read them on every flush so changes
    // made from the console show on the canvas (merged into this frame's single store update).
    set({
      ...faultPatch(s),
      ...members,
      snapshots,
      events,
      eventsTotal: s.eventsTotal + batch.events.length + batch.droppedEvents,
      pulses: samplePulses(s.pulses, batch.events, now, () => ++pulseSeq),
      merkleEvents: merkle.length ? s.merkleEvents.concat(merkle).slice(-MERKLE_EVENTS_MAX) : s.merkleEvents,
      applyCount: s.applyCount + 1,
      hintDrains,
      ...(traffic ? { traffic } : {}),
    })
  },
  tickTraffic: () => {
    const now = performance.now()
    if (now - lastApplyMs < TICK_IDLE_MS) return
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
