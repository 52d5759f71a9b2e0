/** Cluster/meta slice: the live cluster, its options, ring, node snapshots and its fault rules (read from the cluster). */
import type { StateCreator } from 'zustand'
import { emptySnapshot } from '../../cluster/results'
import type { Cluster, NodeSnapshot, ResolvedClusterOptions, Topology } from '../../cluster/types'
import type { DbErrorData } from '../../core/errors'
import type { FaultState, LinkRule } from '../../core/faults/linkRules'
import type { RingJson } from '../../core/ring/ringJson'
import { type ZoneId, zonesFromGroups } from '../flow/layout'
import type { AppState } from './store'

export type Phase = 'starting' | 'ready' | 'error'

export interface ClusterSlice {
  cluster: Cluster | null
  /** Bumped each time the cluster is replaced (effects restart on it). */
  generation: number
  phase: Phase
  error: DbErrorData | null
  notice: string | null
  options: ResolvedClusterOptions | null
  members: string[]
  /** The replication topology in force (setTopology can change it while running; undefined = all-to-all). */
  topology: Topology | undefined
  ring: RingJson | null
  snapshots: Record<string, NodeSnapshot>
  zoneOf: Record<string, ZoneId>
  /** Directed link rules keyed `from>to`, from the cluster's FaultState. */
  links: Record<string, LinkRule>
  /** The last FaultState read from the cluster (the canvas draws zones and links from it). */
  faults: FaultState | null
  timePaused: boolean
  speed: number
  /** Cluster time when this cluster was shown (events and charts count from it; virtual ms in the simulator). */
  timeOriginMs: number
  setStarting(): void
  setCluster(cluster: Cluster): void
  setError(error: DbErrorData | null): void
  setNotice(notice: string | null): void
  setRing(ring: RingJson): void
  /** Optimistic zones while a partition is being applied (syncFaults then confirms them). */
  setZones(zoneOf: Record<string, ZoneId>): void
  /** Reads cluster.faults() and, when it changed, re-derives zones and link rules from it. */
  syncFaults(): void
  /** Re-reads membership (after add/remove node). */
  syncMembers(): void
  setTime(paused: boolean, speed: number): void
  setTopologyShown(topology: Topology | undefined): void
}

function placeholder(id: string, status: NodeSnapshot['status']): NodeSnapshot {
  return emptySnapshot(id as NodeSnapshot['id'], status, 0)
}

export const clusterSlice: StateCreator<AppState, [], [], ClusterSlice> = (set) => ({
  cluster: null,
  generation: 0,
  phase: 'starting',
  error: null,
  notice: null,
  options: null,
  members: [],
  topology: undefined,
  ring: null,
  snapshots: {},
  zoneOf: {},
  links: {},
  faults: null,
  timePaused: false,
  speed: 1,
  timeOriginMs: 0,
  setStarting: () => set({ phase: 'starting' }),
  setCluster: (cluster) =>
    set((s) => {
      const members = cluster.nodes.map((n) => n.id as string)
      const snapshots: Record<string, NodeSnapshot> = {}
      for (const n of cluster.nodes) snapshots[n.id] = placeholder(n.id, n.status)
      return {
        cluster,
        generation: s.generation + 1,
        phase: 'ready',
        error: null,
        options: cluster.options,
        members,
        topology: cluster.options.topology,
        ring: cluster.getRing(),
        snapshots,
        zoneOf: {},
        links: {},
        faults: null,
        timePaused: cluster.time.paused,
        speed: cluster.time.speed,
        timeOriginMs: cluster.time.nowMs,
        // A new cluster starts clean: no notice, tiles or charts from the old one.
        notice: null,
        samples: [],
        lastErrors: [],
        faultChips: [],
        faultWindows: [],
        lastStep: null,
        hintDrains: [],
        events: [],
        eventsTotal: 0,
        traffic: {},
        pulses: [],
        merkleEvents: [],
        selectedEdge: null,
        menuNode: null,
      }
    }),
  setError: (error) => set((s) => ({ error, phase: error && !s.cluster ? 'error' : s.phase })),
  setNotice: (notice) => set({ notice }),
  setRing: (ring) => set({ ring }),
  setZones: (zoneOf) => set({ zoneOf }),
  syncFaults: () => set((s) => faultPatch(s) ?? s),
  syncMembers: () => set((s) => membersPatch(s) ?? s),
  setTime: (timePaused, speed) => set({ timePaused, speed }),
  setTopologyShown: (topology) => set({ topology }),
})

/** Zones and link rules from cluster.faults() when it changed (null when it did not): a cheap getter. */
export function faultPatch(s: AppState): Partial<AppState> | null {
  const f = s.cluster?.faults()
  if (!f || f === s.faults) return null
  return {
    faults: f,
    links: f.links,
    zoneOf: zonesFromGroups(s.members, f.groups as unknown as string[][], s.zoneOf),
  }
}

/** Members, snapshots, ring and faults after a node was added or removed (null when membership is the same). */
export function membersPatch(s: AppState): Partial<AppState> | null {
  const c = s.cluster
  if (!c || (c.nodes.length === s.members.length && c.nodes.every((n, i) => n.id === s.members[i])))
    return null
  const members = c.nodes.map((n) => n.id as string)
  const snapshots: Record<string, NodeSnapshot> = {}
  for (const n of c.nodes) snapshots[n.id] = s.snapshots[n.id] ?? placeholder(n.id, n.status)
  const f = c.faults()
  const ring = c.getRing()
  return {
    members,
    snapshots,
    options: c.options,
    ring: ring.version === s.ring?.version ? s.ring : ring,
    faults: f,
    links: f.links,
    zoneOf: zonesFromGroups(members, f.groups as unknown as string[][], s.zoneOf),
  }
}
