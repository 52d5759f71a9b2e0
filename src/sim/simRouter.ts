/**
 * The simulator's routing node: a RouterCore (core/router) as a process on the simulated network,
 * with virtual-time timers; its client ops advance virtual time like any other client op.
 */
import { routerClient } from '../cluster/routerClient'
import type { Router } from '../cluster/types'
import type { NodeId } from '../core/ids'
import type { Message } from '../core/protocol/messages'
import type { PartitionMap } from '../core/ring/placement'
import { RouterCore } from '../core/router/routerCore'
import type { Simulator } from './simulator'

export function simRouterCore(
  id: NodeId,
  sim: Simulator,
  send: (to: NodeId, m: Message) => void,
  map: PartitionMap,
): RouterCore {
  let timerSeq = 0
  const cancelled = new Set<number>()
  return new RouterCore(
    {
      id,
      timers: {
        set: (delayMs, fn) => {
          const h = ++timerSeq
          sim.schedule(delayMs, () => {
            if (!cancelled.delete(h)) fn()
          })
          return h
        },
        clear: (h) => void cancelled.add(h),
      },
      send,
    },
    map,
  )
}

export function simRouterClient(
  core: RouterCore,
  sim: Simulator,
  drive: <T>(p: Promise<T>) => Promise<T>,
  unsubscribe: () => void,
  onStop: () => void,
): Router {
  return routerClient({
    id: core.id,
    get mapVersion() {
      return core.map.version
    },
    write: (key, value, level, intent) => drive(core.write(key, value, level, intent)),
    read: (key, level) => drive(core.read(key, level)),
    nowMs: () => sim.nowMs,
    stop: async () => {
      unsubscribe()
      core.stop()
      onStop()
    },
  })
}
