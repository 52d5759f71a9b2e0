/** Builders of tour observations for the detector and progress tests. */
import type { ClusterEvent } from '../../core/events'
import type { ObsNode, TourObs } from './types'
import type { UserOp } from './userOps'

export function obsNode(patch: Partial<ObsNode> = {}): ObsNode {
  return {
    status: 'up',
    hintsHeld: 0,
    hintsByTarget: {},
    clockSkewMs: 0,
    backlog: 0,
    siblingKeys: 0,
    keyCount: 0,
    ...patch,
  }
}

/** Three (or `n`) idle nodes, no partition, console tab; `nodes` patches individual nodes. */
export function obs(
  patch: Partial<Omit<TourObs, 'nodes'>> & { nodes?: Record<string, Partial<ObsNode>>; n?: number } = {},
): TourObs {
  const { nodes: np = {}, n = 3, ...rest } = patch
  const members = rest.members ?? Array.from({ length: n }, (_, i) => `node_${i}`)
  const nodes: Record<string, ObsNode> = {}
  for (const m of members) nodes[m] = obsNode(np[m])
  return {
    tMs: 1000,
    members,
    nodes,
    groups: [],
    tab: 'console',
    ringVersion: 1,
    errorsPerSec: 0,
    events: [],
    ops: [],
    ...rest,
  }
}

export function ev(type: ClusterEvent['type'], node: string, detail?: string): ClusterEvent {
  return { t: 1000, type, node: node as ClusterEvent['node'], detail }
}

export function op(patch: Partial<UserOp>): UserOp {
  return {
    action: 'put',
    op: 'put',
    node: 'node_0',
    key: 'k',
    level: 'default',
    ok: true,
    ...patch,
  } as UserOp
}
