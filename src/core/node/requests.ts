/** Request/response over the unreliable transport: each request gets an id and a timeout. */
import type { TimerHandle, Timers } from '../env'
import { dbError } from '../errors'
import type { NodeId } from '../ids'
import type { Message } from '../protocol/messages'

interface Pending {
  resolve: (m: Message) => void
  reject: (e: unknown) => void
  timer: TimerHandle
}

export class Requests {
  private nextId = 1
  private pending = new Map<number, Pending>()

  constructor(private readonly timers: Timers) {}

  /** Allocates a request id and a promise for its reply (rejects with TIMEOUT after timeoutMs). */
  start(to: NodeId, timeoutMs: number): { reqId: number; reply: Promise<Message> } {
    const reqId = this.nextId++
    const reply = new Promise<Message>((resolve, reject) => {
      const timer = this.timers.set(timeoutMs, () => {
        this.pending.delete(reqId)
        reject(dbError('TIMEOUT', `no reply from ${to} within ${timeoutMs} ms`, { node: to }))
      })
      this.pending.set(reqId, { resolve, reject, timer })
    })
    return { reqId, reply }
  }

  /** Delivers a reply; false when the request is unknown (late or duplicate). */
  resolve(reqId: number, m: Message): boolean {
    const p = this.pending.get(reqId)
    if (!p) return false
    this.pending.delete(reqId)
    this.timers.clear(p.timer)
    p.resolve(m)
    return true
  }

  get inFlight(): number {
    return this.pending.size
  }

  /** Fails every pending request (node stopping). */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.timers.clear(p.timer)
      p.reject(dbError('NODE_DOWN', reason))
      this.pending.delete(id)
    }
  }
}
