/** What the dashboard shows for a node: its own status, or "suspect" when live peers think it is down. */
import type { NodeSnapshot } from '../../cluster/types'

export type DisplayStatus = 'up' | 'suspect' | 'down' | 'paused' | 'failed'

/** A node that is up is "suspect" when any live peer views it as suspect or down. */
export function displayStatus(id: string, snapshots: Readonly<Record<string, NodeSnapshot>>): DisplayStatus {
  const self = snapshots[id]
  if (!self) return 'down'
  if (self.status !== 'up') return self.status
  for (const peer of Object.values(snapshots)) {
    if (peer.id === id || peer.status !== 'up') continue
    const view = peer.peerViews[id]
    if (view === 'suspect' || view === 'down') return 'suspect'
  }
  return 'up'
}

/** Healthy for routing purposes (the ring view's stand-in computation). */
export function isHealthy(id: string, snapshots: Readonly<Record<string, NodeSnapshot>>): boolean {
  const s = snapshots[id]
  return !!s && s.status === 'up'
}
