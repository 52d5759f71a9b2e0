/**
 * Heartbeat failure detector (the seed's Ping service): a peer heard from within half the timeout is
 * up, silent longer is suspect, silent past the timeout is down. Any message counts as a heartbeat.
 */
import type { NodeId } from '../ids'

export type PeerView = 'up' | 'suspect' | 'down'

export interface PeerState {
  view: PeerView
  lastHeardMs: number
  /** When the peer was last seen going down (for the hint window). */
  downSinceMs: number | null
}

export class FailureDetector {
  private peers = new Map<NodeId, PeerState>()
  /** Bumped on every view or membership change (routing caches key on it). */
  generation = 0

  constructor(
    peers: readonly NodeId[],
    nowMs: number,
    private readonly timeoutMs: number,
  ) {
    for (const p of peers) this.peers.set(p, { view: 'up', lastHeardMs: nowMs, downSinceMs: null })
  }

  /** Adds or removes peers after a membership change. */
  setPeers(peers: readonly NodeId[], nowMs: number): void {
    const next = new Map<NodeId, PeerState>()
    for (const p of peers)
      next.set(p, this.peers.get(p) ?? { view: 'up', lastHeardMs: nowMs, downSinceMs: null })
    this.peers = next
    this.generation++
  }

  /** Records that `peer` was heard from; returns the view change, if any. */
  heard(peer: NodeId, nowMs: number): { from: PeerView; to: PeerView } | null {
    const s = this.peers.get(peer)
    if (!s) return null
    s.lastHeardMs = nowMs
    if (s.view === 'up') return null
    const from = s.view
    s.view = 'up'
    s.downSinceMs = null
    this.generation++
    return { from, to: 'up' }
  }

  /** Re-evaluates every peer; returns the changes. */
  tick(nowMs: number): Array<{ peer: NodeId; from: PeerView; to: PeerView }> {
    const changes: Array<{ peer: NodeId; from: PeerView; to: PeerView }> = []
    for (const [peer, s] of this.peers) {
      const silentMs = nowMs - s.lastHeardMs
      const view: PeerView =
        silentMs > this.timeoutMs ? 'down' : silentMs > this.timeoutMs / 2 ? 'suspect' : 'up'
      if (view !== s.view) {
        changes.push({ peer, from: s.view, to: view })
        if (view === 'down') s.downSinceMs = nowMs
        s.view = view
        this.generation++
      }
    }
    return changes
  }

  view(peer: NodeId): PeerView {
    return this.peers.get(peer)?.view ?? 'down'
  }

  /** Healthy = not down (a suspect peer still gets requests). */
  healthy(peer: NodeId): boolean {
    return this.view(peer) !== 'down'
  }

  downSinceMs(peer: NodeId): number | null {
    return this.peers.get(peer)?.downSinceMs ?? null
  }

  views(): Record<string, PeerView> {
    const out: Record<string, PeerView> = {}
    for (const [p, s] of this.peers) out[p] = s.view
    return out
  }
}
