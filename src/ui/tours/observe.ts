/** Builds a tour observation from the dashboard store (plus the events and user ops since the last one). */
import type { ClusterEvent } from '../../core/events'
import type { AppState } from '../store/store'
import type { ObsNode, TourObs } from './types'
import type { UserOp } from './userOps'

type Observed = Pick<
  AppState,
  'cluster' | 'members' | 'snapshots' | 'faults' | 'tab' | 'ring' | 'samples' | 'workloadRunning'
>

/** The observation for state `s`; `events` and `ops` are the new ones since the previous observation. */
export function observe(s: Observed, events: readonly ClusterEvent[], ops: readonly UserOp[]): TourObs {
  const nodes: Record<string, ObsNode> = {}
  for (const id of s.members) {
    const snap = s.snapshots[id]
    if (!snap) continue
    let backlog = 0
    for (const v of Object.values(snap.replogByPeer ?? {})) backlog += v
    nodes[id] = {
      status: snap.status,
      hintsHeld: snap.hintsHeld ?? 0,
      hintsByTarget: snap.hintsByTarget ?? {},
      clockSkewMs: snap.clockSkewMs ?? 0,
      backlog,
      siblingKeys: snap.siblingKeys ?? 0,
      keyCount: snap.keyCount ?? 0,
    }
  }
  const last = s.samples[s.samples.length - 1]
  return {
    tMs: s.cluster?.time.nowMs ?? 0,
    members: s.members,
    nodes,
    groups: effectiveGroups(s.members, (s.faults?.groups as unknown as string[][] | undefined) ?? []),
    tab: s.tab,
    ringVersion: s.ring?.version ?? 0,
    errorsPerSec: s.workloadRunning && last ? last.errorsPerSec : 0,
    events,
    ops,
  }
}

/** The events after `lastSeen` in the store's bounded list (all of them when it was dropped). */
export function eventsSince(events: readonly ClusterEvent[], lastSeen: ClusterEvent | null): ClusterEvent[] {
  if (lastSeen === null) return [...events]
  const i = events.lastIndexOf(lastSeen)
  return i < 0 ? [...events] : events.slice(i + 1)
}

/** Partition groups with the implicit "rest" group (nodes in no group are together) made explicit. */
export function effectiveGroups(members: readonly string[], groups: readonly string[][]): string[][] {
  const out = groups.filter((g) => g.length > 0).map((g) => [...g])
  if (out.length === 0) return []
  const placed = new Set(out.flat())
  const rest = members.filter((m) => !placed.has(m))
  if (rest.length > 0) out.push(rest)
  return out
}
