/**
 * Hinted handoff on the stand-in's side: storing writes for an unhealthy owner durably (within the
 * hint window) and replaying them, throttled, when the failure detector sees the owner again.
 */
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { Op } from '../replication/version'
import type { DbNode } from './dbNode'

export class HintedHandoff {
  constructor(private readonly node: DbNode) {}

  /** Keeps a write for an unhealthy owner as a durable hint (this node is its stand-in). */
  async storeHint(hintedFor: NodeId, op: Op): Promise<void> {
    const downSince = this.node.fd.downSinceMs(hintedFor)
    const now = this.node.env.clock.nowMs()
    if (downSince !== null && now - downSince > this.node.config.hintWindowMs) {
      throw dbError(
        'NODE_DOWN',
        `${hintedFor} has been down longer than the hint window (${this.node.config.hintWindowMs} ms)`,
        { hintedFor },
      )
    }
    this.node.clock.receive(op.version.ts)
    const put = this.node.hints.add(hintedFor, op, now)
    if (!put) return
    await this.node.groups.add({ diskOps: [put] })
    this.node.emit({ type: 'hint-store', peer: hintedFor, opId: op.id, key: op.key })
  }

  private hintsInFlight = new Set<NodeId>()
  /** Replays hints to owners the failure detector sees up, within the bytes/s budget. */
  replayHints(): void {
    const intervalMs = Math.max(50, this.node.config.heartbeatIntervalMs)
    const budget = Math.max(1, Math.floor((this.node.config.hintReplayBytesPerSec * intervalMs) / 1000))
    for (const target of this.node.hints.targets()) {
      if (this.node.fd.view(target) !== 'up' || this.hintsInFlight.has(target)) continue
      const batch = this.node.hints.batchFor(target, budget)
      if (batch.length === 0) continue
      this.hintsInFlight.add(target)
      const { reqId, reply } = this.node.requests.start(target, this.node.config.requestTimeoutMs)
      this.node.send(target, { type: 'replicate', items: batch.map((h) => ({ op: h.op })), reqId })
      reply
        .then(async (m) => {
          if (m.type !== 'replicate-ack') return
          const ops = this.node.hints.remove(target, m.ids)
          this.node.stats.hintsDelivered += ops.length
          await this.node.groups.add({ diskOps: ops })
          this.node.emit({ type: 'hint-deliver', peer: target, detail: `${ops.length} hints` })
        })
        .catch(() => {})
        .finally(() => this.hintsInFlight.delete(target))
    }
  }
}
