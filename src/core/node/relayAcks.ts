/**
 * Acks relayed along a topology. With a topology (the seed's star, ring, …) a coordinator sends its
 * op only to its out-neighbours, which relay it onwards; a replica that got an op through a relay
 * tells the op's origin directly (`relay-ack`), so the origin's write counts it toward W. Without
 * this, a write coordinated at a star's leaf could never reach QUORUM (found with the seed's 4-node
 * star: "only 2 are reachable").
 */
import type { TimerHandle, Timers } from '../env'
import type { NodeId, OpId } from '../ids'
import type { Version } from '../replication/version'
import type { ItemOutcome } from './outbox'

interface Waiter {
  done: (o: ItemOutcome) => void
  timer: TimerHandle
}

export class RelayAcks {
  private waiters = new Map<string, Waiter>()

  constructor(private readonly timers: Timers) {}

  /** Calls `done` once: when `target` reports holding `id`, or with TIMEOUT after `timeoutMs`. */
  wait(id: OpId, target: NodeId, timeoutMs: number, done: (o: ItemOutcome) => void): void {
    const k = `${target}|${id}`
    const timer = this.timers.set(timeoutMs, () => {
      if (this.waiters.get(k)?.timer !== timer) return
      this.waiters.delete(k)
      done({
        acked: false,
        error: {
          code: 'TIMEOUT',
          message: `${target} did not confirm the relayed op within ${timeoutMs} ms`,
        },
      })
    })
    this.waiters.set(k, { done, timer })
  }

  /** A replica confirmed relayed ops (with the newer version it holds, for some). */
  onRelayAck(
    from: NodeId,
    ids: readonly OpId[],
    newer?: ReadonlyArray<{ id: OpId; version: Version }>,
  ): void {
    if (this.waiters.size === 0) return
    const newerById = newer ? new Map(newer.map((n) => [n.id, n.version])) : null
    for (const id of ids) {
      const k = `${from}|${id}`
      const w = this.waiters.get(k)
      if (!w) continue
      this.waiters.delete(k)
      this.timers.clear(w.timer)
      w.done({ acked: true, newer: newerById?.get(id) })
    }
  }

  get pending(): number {
    return this.waiters.size
  }
}
