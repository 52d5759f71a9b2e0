/**
 * The rejected network design, built only to be measured by bench:worker: a "switch" worker that
 * relays every node-to-node message. Each node holds one port to the switch and addresses messages
 * `{to, from, body}`; the switch looks the destination up and forwards the same object (one extra
 * structured clone and one extra worker hop per message). The product uses direct MessageChannel
 * ports between node workers instead (src/runtime/workerCluster.ts).
 */
import { expose } from 'comlink'

const ports = new Map<string, MessagePort>()
let relayed = 0

const api = {
  /** Plugs a node into the switch. */
  plug(name: string, port: MessagePort): void {
    ports.get(name)?.close()
    ports.set(name, port)
    port.onmessage = (ev: MessageEvent<{ to: string }>) => {
      relayed++
      ports.get(ev.data.to)?.postMessage(ev.data)
    }
  },
  relayed(): number {
    return relayed
  },
}

export type NetSwitchApi = typeof api
expose(api)
