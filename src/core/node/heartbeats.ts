/**
 * Heartbeats (the seed's Ping service). Any message is a heartbeat, so a peer is pinged only when
 * nothing else was sent to it during the last interval: idle links carry one ping per direction per
 * interval, busy links none. Peer-state changes from the failure detector are reported here, and a
 * peer coming back up gets its replication backlog and hints at once.
 */
import type { NodeId } from '../ids'
import type { DbNode } from './dbNode'

export class Heartbeats {
  private pingSeq = 0
  /** When we last sent anything to each peer (it doubles as our heartbeat to them). */
  private lastSentMs = new Map<NodeId, number>()

  constructor(private readonly node: DbNode) {}

  /** Called on every send. */
  noteSent(peer: NodeId): void {
    this.lastSentMs.set(peer, this.node.env.clock.nowMs())
  }

  /** One heartbeat interval: ping quiet links, then re-evaluate every peer's view. */
  tick(): void {
    const node = this.node
    this.pingSeq++
    const nowMs = node.env.clock.nowMs()
    const quietSinceMs = nowMs - node.config.heartbeatIntervalMs
    for (const p of node.peers()) {
      if ((this.lastSentMs.get(p) ?? Number.NEGATIVE_INFINITY) <= quietSinceMs)
        node.send(p, { type: 'ping', seq: this.pingSeq })
    }
    for (const c of node.fd.tick(nowMs)) this.onPeerChange(c.peer, c.from, c.to)
  }

  /** Reports a view change; a peer back up gets its backlog and hints now. */
  onPeerChange(peer: NodeId, from: string, to: string): void {
    const node = this.node
    node.emit({ type: 'peer-state', peer, detail: `${from}→${to}` })
    if (to === 'up') {
      node.stream.resetBackoff(peer)
      node.stream.sendDue(peer, Number.POSITIVE_INFINITY)
      node.handoff.replayHints()
      node.tx.locks.records.peerUp(peer) // committed transactions it missed, each as one unit
    }
  }
}
