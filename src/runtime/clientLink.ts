/** The page's end of a node's client port: numbered requests out, coalesced per tick (clientPort.ts). */
import { type ClientAnswer, type ClientRequest, coalescer, readBatch } from '../../workers/clientPort'

type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never

export class ClientLink {
  private nextId = 1
  private pending = new Map<number, { resolve: (a: ClientAnswer) => void; reject: (e: Error) => void }>()
  private readonly post: (r: ClientRequest) => void

  constructor(private readonly port: MessagePort) {
    this.post = coalescer<ClientRequest>((wire) => port.postMessage(wire))
    port.onmessage = (ev: MessageEvent<string>) => {
      for (const a of readBatch<ClientAnswer>(ev.data).items) {
        const waiter = this.pending.get(a.id)
        this.pending.delete(a.id)
        waiter?.resolve(a)
      }
    }
  }

  /** Sends one request; resolves with its answer, rejects if the link closes first. */
  request(req: Unnumbered<ClientRequest>): Promise<ClientAnswer> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.post({ ...req, id } as ClientRequest)
    })
  }

  /**
   * Rejects every unanswered request with `reason` (the node was killed: outcome unknown) and closes
   * the port. Pending requests live here rather than in a Promise.race against a kill switch, which
   * left one reaction per request on a promise that lives as long as the node.
   */
  close(reason: Error = new Error('client link closed')): void {
    const waiters = [...this.pending.values()]
    this.pending.clear()
    this.port.close()
    for (const w of waiters) w.reject(reason)
  }
}
