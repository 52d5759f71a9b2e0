/**
 * What the dashboard shows for a node, from what each node's own failure detector sees. A partition
 * has two sides with two truths: the cut-off node is "isolated — sees 0 of 2 peers", the majority is
 * "up — can't reach node_1". Peers the host knows are killed or paused are not counted as peers (a
 * node is not "cut off" from a node that is simply down).
 */
import type { NodeSnapshot } from '../../cluster/types'

/** Card status: 'suspect' is amber (cut off from most peers, or suspected by a peer); never drawn as dead. */
export type DisplayStatus = 'up' | 'suspect' | 'down' | 'paused' | 'failed'

export interface NodeHealth {
  status: DisplayStatus
  /** Short badge word: up, isolated, minority, suspect, down, paused. */
  badge: string
  /** One line of detail ("sees 0 of 2 peers", "can't reach node_1"), "" when there is nothing to add. */
  note: string
  /** Live peers (host status up) this node's detector sees as up. */
  sees: number
  /** Live peers. */
  livePeers: number
  /** Live peers this node cannot hear from. */
  unreachable: string[]
  /** Live peers that cannot hear from this node. */
  suspectedBy: string[]
}

type Snaps = Readonly<Record<string, NodeSnapshot>>

function names(ids: readonly string[]): string {
  return ids.length <= 2 ? ids.join(' and ') : `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`
}

/** One node's health as its own detector and its live peers' detectors see it. */
export function nodeHealth(id: string, snapshots: Snaps): NodeHealth {
  const self = snapshots[id]
  const none = { sees: 0, livePeers: 0, unreachable: [], suspectedBy: [] }
  if (!self) return { status: 'down', badge: 'down', note: '', ...none }
  if (self.status !== 'up') return { status: self.status, badge: self.status, note: '', ...none }
  // A peer and this node that do not both list each other are mid-join: the joining node has the new
  // membership, the others learn of it only when its rows are in place (a throttled move takes
  // seconds), so neither side's silence is a fault.
  const knows = (a: NodeSnapshot, b: string) => b in a.peerViews || Object.keys(a.peerViews).length === 0
  const all = Object.values(snapshots).filter((p) => p.id !== id && p.status === 'up')
  const live = all.filter((p) => knows(self, p.id) && knows(p, id))
  const joining = all.some((p) => !knows(p, id))
  const unreachable: string[] = []
  const suspectedBy: string[] = []
  for (const peer of live) {
    const mine = self.peerViews[peer.id]
    if (mine === 'suspect' || mine === 'down') unreachable.push(peer.id)
    const theirs = peer.peerViews[id]
    if (theirs === 'suspect' || theirs === 'down') suspectedBy.push(peer.id)
  }
  unreachable.sort()
  suspectedBy.sort()
  const livePeers = live.length
  const sees = livePeers - unreachable.length
  const base = { sees, livePeers, unreachable, suspectedBy }
  // With one live peer, a one-way cut is "can't reach" on one side and "suspect" on the other.
  if (sees === 0 && (livePeers >= 2 || (livePeers === 1 && suspectedBy.length > 0)))
    return { status: 'suspect', badge: 'isolated', note: `sees 0 of ${livePeers} peers`, ...base }
  // Its side (itself and the peers it sees) is smaller than the rest: the minority of a partition.
  if (unreachable.length > 0 && sees + 1 < unreachable.length)
    return { status: 'suspect', badge: 'minority', note: `sees ${sees} of ${livePeers} peers`, ...base }
  if (unreachable.length > 0)
    return { status: 'up', badge: 'up', note: `can't reach ${names(unreachable)}`, ...base }
  if (suspectedBy.length > 0)
    return { status: 'suspect', badge: 'suspect', note: `${names(suspectedBy)} can't hear it`, ...base }
  if (joining)
    return { status: 'up', badge: 'joining', note: 'peers add it once its rows are in place', ...base }
  return { status: 'up', badge: 'up', note: '', ...base }
}

/** The card status alone (see nodeHealth). */
export function displayStatus(id: string, snapshots: Snaps): DisplayStatus {
  return nodeHealth(id, snapshots).status
}

/** Not killed or paused: suspect nodes still run, hold data and serve their side of a partition. */
export function isRunning(id: string, snapshots: Snaps): boolean {
  const s = snapshots[id]
  return !!s && s.status === 'up'
}

/** Healthy for routing purposes (the ring view's stand-in computation). */
export function isHealthy(id: string, snapshots: Snaps): boolean {
  return isRunning(id, snapshots)
}
