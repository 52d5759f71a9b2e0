import { describe, expect, it } from 'vitest'
import { isDbError } from '../core/errors'
import { createSimCluster } from './createCluster'
import type { Cluster } from './types'

/** Every call on a shut-down cluster, each as a thunk (sync throws and rejections alike). */
const callsAfterShutdown: Array<[string, (c: Cluster) => unknown]> = [
  ['put', (c) => c.put(0, 'k', 'v')],
  ['get', (c) => c.get(0, 'k')],
  ['partition', (c) => c.partition([[0], [1]])],
  ['heal', (c) => c.heal()],
  ['setLink', (c) => c.setLink(0, 1, { latencyMs: 5 })],
  ['settle', (c) => c.settle()],
  ['setTopology', (c) => c.setTopology(null)],
  ['subscribe', (c) => c.subscribe(() => {})],
  ['kill', (c) => c.kill(0)],
  ['addNode', (c) => c.addNode()],
]

async function codeOf(f: () => unknown): Promise<string> {
  try {
    await f()
  } catch (e) {
    return isDbError(e) ? e.code : `uncoded: ${String(e)}`
  }
  return 'returned'
}

describe('after shutdown() every call throws CLUSTER_SHUT_DOWN (sim runtime)', () => {
  it.each(callsAfterShutdown)('%s', async (_name, call) => {
    const c = await createSimCluster({ numNodes: 2, seed: 3 })
    await c.shutdown()
    expect(await codeOf(() => call(c))).toBe('CLUSTER_SHUT_DOWN')
    // shutdown itself stays idempotent
    expect(await codeOf(() => c.shutdown())).toBe('returned')
  })
})
