/** Cluster/meta slice: the live cluster, its options, ring, node snapshots and the faults drawn by hand. */
import type { StateCreator } from 'zustand'
import type { Cluster, NodeSnapshot, ResolvedClusterOptions } from '../../cluster/types'
import type { DbErrorData } from '../../core/errors'
import type { LinkRule } from '../../core/faults/linkRules'
import type { RingJson } from '../../core/ring/ringJson'
import type { ZoneId } from '../flow/layout'
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
  ring: RingJson | null
  snapshots: Record<string, NodeSnapshot>
  zoneOf: Record<string, ZoneId>
  links: Record<string, LinkRule>
  timePaused: boolean
  speed: number
  setStarting(): void
  setCluster(cluster: Cluster): void
  setError(error: DbErrorData | null): void
  setNotice(notice: string | null): void
  setRing(ring: RingJson): void
  setZones(zoneOf: Record<string, ZoneId>): void
  setLinkRule(key: string, rule: LinkRule | null): void
  clearFaults(): void
  setTime(paused: boolean, speed: number): void
}

function placeholder(id: string, status: NodeSnapshot['status']): NodeSnapshot {
  return {
    id: id as NodeSnapshot['id'],
    status,
    clock: 0,
    lastSeen: {},
    keyCount: 0,
    memtableBytes: 0,
    tablesPerLevel: [],
    hintsHeld: 0,
    hintBytes: 0,
    hintsByTarget: {},
    replogByPeer: {},
    peerViews: {},
    clockSkewMs: 0,
  }
}

export const clusterSlice: StateCreator<AppState, [], [], ClusterSlice> = (set) => ({
  cluster: null,
  generation: 0,
  phase: 'starting',
  error: null,
  notice: null,
  options: null,
  members: [],
  ring: null,
  snapshots: {},
  zoneOf: {},
  links: {},
  timePaused: false,
  speed: 1,
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
        ring: cluster.getRing(),
        snapshots,
        zoneOf: {},
        links: {},
        timePaused: cluster.time.paused,
        speed: cluster.time.speed,
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
  setLinkRule: (key, rule) =>
    set((s) => {
      const links = { ...s.links }
      if (rule) links[key] = rule
      else delete links[key]
      return { links }
    }),
  clearFaults: () => set({ zoneOf: {}, links: {} }),
  setTime: (timePaused, speed) => set({ timePaused, speed }),
})
