/** The page's end of a node's client port: numbered requests out, coalesced per tick (clientPort.ts). */
import { type ClientAnswer, type ClientBatch, type ClientRequest, coalescer } from '../../workers/clientPort'

type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never

export class ClientLink {
  private nextId = 1
  private pending = new Map<number, (a: ClientAnswer) => void>()
  private readonly post: (r: ClientRequest) => void

  constructor(private readonly port: MessagePort) {
    this.post = coalescer<ClientRequest>((batch) => port.postMessage(batch))
    port.onmessage = (ev: MessageEvent<ClientBatch<ClientAnswer>>) => {
      for (const a of ev.data.items) {
        const resolve = this.pending.get(a.id)
        this.pending.delete(a.id)
        resolve?.(a)
      }
    }
  }

  /** Sends one request; resolves with its answer (callers race it against the node being killed). */
  request(req: Unnumbered<ClientRequest>): Promise<ClientAnswer> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.post({ ...req, id } as ClientRequest)
    })
  }

  close(): void {
    this.pending.clear()
    this.port.close()
  }
}
