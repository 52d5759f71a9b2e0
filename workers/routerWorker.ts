/**
 * The routing node of the worker runtime, in its own Web Worker: a RouterCore (core/router) with
 * real timers and a direct MessageChannel to every node. The page sends it client ops and partition
 * maps; it sends each op to an owner and posts the owner's answer back.
 */
import { toErrorData } from '../src/core/errors'
import type { NodeId } from '../src/core/ids'
import type { Message } from '../src/core/protocol/messages'
import type { PartitionMap } from '../src/core/ring/placement'
import { RouterCore } from '../src/core/router/routerCore'
import type { RouterAnswer, RouterRequest } from './routerProtocol'

const ports = new Map<NodeId, MessagePort>()
let core: RouterCore | null = null

function post(a: RouterAnswer): void {
  ;(self as unknown as Worker).postMessage(a)
}

self.onmessage = (ev: MessageEvent<RouterRequest>) => {
  const r = ev.data
  switch (r.t) {
    case 'init':
      core = new RouterCore(
        {
          id: r.id as NodeId,
          timers: {
            set: (ms, fn) => setTimeout(fn, ms) as unknown as number,
            clear: (h) => clearTimeout(h),
          },
          send: (to, m) => ports.get(to)?.postMessage(m),
        },
        r.map as PartitionMap,
      )
      return
    case 'connect': {
      const peer = r.peer as NodeId
      ports.get(peer)?.close()
      ports.set(peer, r.port)
      r.port.onmessage = (e: MessageEvent<Message | string>) =>
        core?.receive(typeof e.data === 'string' ? JSON.parse(e.data) : e.data)
      return
    }
    case 'map':
      core?.setMap(r.map as PartitionMap)
      post({ t: 'map', version: core?.map.version ?? -1 })
      return
    case 'op': {
      const c = core
      if (!c) return
      const work =
        r.op === 'put' ? c.write(r.key, r.value ?? null, r.level, r.intent) : c.read(r.key, r.level)
      work.then(
        (value) => post({ t: 'answer', id: r.id, outcome: { ok: true, value } }),
        (e: unknown) => post({ t: 'answer', id: r.id, outcome: { ok: false, error: toErrorData(e) } }),
      )
      return
    }
  }
}
