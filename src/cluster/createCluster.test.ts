import { describe, expect, it } from 'vitest'
import { isDbError } from '../core/errors'
import { createCluster, createSimCluster } from './createCluster'
import { resolveOptions } from './options'
import type { ClusterOptions } from './types'

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    if (typeof p === 'function') p()
    else await p
  } catch (e) {
    if (isDbError(e)) return `${e.code}: ${e.message}`
    return `uncoded: ${String(e)}`
  }
  return 'no error'
}

describe('createCluster rejects bad options with coded errors', () => {
  it.each<[string, ClusterOptions, RegExp]>([
    [
      'no nodes',
      { runtime: 'sim', numNodes: 0 },
      /BAD_CONFIG: numNodes must be an integer between 1 and 64, got 0/,
    ],
    ['non-integer count', { runtime: 'sim', numNodes: 2.5 }, /BAD_CONFIG: numNodes must be an integer/],
    [
      'unknown runtime',
      { runtime: 'cloud' as 'sim', numNodes: 3 },
      /BAD_CONFIG: runtime must be one of 'worker', 'sim', got "cloud"/,
    ],
    [
      'W > N',
      { runtime: 'sim', numNodes: 3, replicationFactor: 3, writeQuorum: 4 },
      /writeQuorum 4 > replicationFactor 3/,
    ],
    [
      'R > N',
      { runtime: 'sim', numNodes: 3, replicationFactor: 2, readQuorum: 3 },
      /readQuorum 3 > replicationFactor 2/,
    ],
    [
      'RF > nodes',
      { runtime: 'sim', numNodes: 2, replicationFactor: 3 },
      /replicationFactor must be between 1 and 2/,
    ],
    ['bad topology', { runtime: 'sim', numNodes: 2, topology: { 0: [5] } }, /topology\[0\] names node 5/],
    ['level above N', { runtime: 'sim', numNodes: 2, consistency: 'THREE' }, /THREE needs 3 replicas/],
  ])('%s', async (_name, opts, re) => {
    expect(await codeOf(createCluster(opts))).toMatch(re)
  })

  it('the worker runtime outside a browser says so', async () => {
    expect(await codeOf(createCluster({ runtime: 'worker', numNodes: 1 }))).toMatch(
      /BAD_CONFIG: runtime 'worker' needs a browser/,
    )
  })
})

describe('operations reject bad input with coded errors, and the cluster keeps working', () => {
  it('unknown nodes, non-string keys and values, oversized values, dead nodes', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1, valueBytesMax: 100 })
    expect(await codeOf(c.put(7, 'k', 'v'))).toMatch(/UNKNOWN_NODE: no node with index 7/)
    expect(await codeOf(c.put('node_9', 'k', 'v'))).toMatch(/UNKNOWN_NODE: no node "node_9"/)
    expect(await codeOf(c.put(0, 42 as unknown as string, 'v'))).toMatch(/BAD_INPUT: keys are strings/)
    expect(await codeOf(c.put(0, '', 'v'))).toMatch(/BAD_INPUT: keys must not be empty/)
    expect(await codeOf(c.put(0, 'k', { x: 1 } as unknown as string))).toMatch(
      /BAD_INPUT: values are strings/,
    )
    expect(await codeOf(c.put(0, 'k', 'x'.repeat(101)))).toMatch(/VALUE_TOO_LARGE/)
    expect(await codeOf(() => c.partition([['node_0', 'nope']]))).toMatch(/UNKNOWN_NODE/)
    await c.kill(1)
    expect(await codeOf(c.get(1, 'k'))).toMatch(/NODE_DOWN: node_1 is down/)
    // Nothing above broke the cluster.
    await c.put(0, 'k', 'v')
    expect(await c.get(2, 'k')).toBe('v')
    await c.shutdown()
    expect(await codeOf(c.get(0, 'k'))).toMatch(/CLUSTER_SHUT_DOWN/)
  })
})

describe('heartbeat defaults', () => {
  it('stretch with cluster size past 8 nodes (idle pings grow as n²); explicit values are kept', () => {
    const at = (numNodes: number, extra = {}) => {
      const o = resolveOptions({ runtime: 'sim', numNodes, ...extra })
      return [o.heartbeatIntervalMs, o.heartbeatTimeoutMs]
    }
    expect(at(3)).toEqual([250, 1500])
    expect(at(8)).toEqual([250, 1500])
    expect(at(16)).toEqual([500, 3000])
    expect(at(32)).toEqual([1000, 6000])
    expect(at(32, { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 900 })).toEqual([100, 900])
  })
})
