/**
 * "The new map is published only when the data is in place": while a throttled move copies,
 * getPartitionMap(), getPartitionId() and getRing() give the old map, the one the nodes route by,
 * and no map push goes out; once the move resolves they give the new one, pushed once.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'

type Sim = Awaited<ReturnType<typeof createSimCluster>>

const SEEDS = [1, 7, 23]

const CASES: Array<{
  name: string
  opts: Partial<ClusterOptions>
  move: (c: Sim) => Promise<unknown>
}> = [
  { name: 'ring addNode', opts: {}, move: (c) => c.addNode() },
  {
    name: 'range transferPartition',
    opts: {
      partitionStrategy: 'range',
      keyRanges: [
        ['a', 'm'],
        ['m', null],
      ],
    },
    move: (c) => c.transferPartition(0, 2, 0),
  },
  {
    name: 'hash split',
    opts: { partitionStrategy: 'hash', numPartitions: 4 },
    move: (c) => c.splitPartition(1),
  },
  {
    name: 'hash removeNode',
    opts: { partitionStrategy: 'hash', numPartitions: 6 },
    move: (c) => c.removeNode(2),
  },
]

/** What the API calls the map, and what every old member routes by, sampled together. */
function snapshot(c: Sim, members: readonly string[]) {
  return {
    map: c.getPartitionMap().version,
    ring: c.getRing().version,
    pid: c.getPartitionId('bkey7'),
    nodes: members.filter((id) => c.nodes.some((n) => n.id === id)).map((id) => c.liveNode(id).ring.version),
  }
}

describe('the published map during a move', () => {
  for (const k of CASES)
    for (const seed of SEEDS)
      it(`${k.name}, seed ${seed}`, async () => {
        const c = await createSimCluster({
          numNodes: 3,
          replicationFactor: 2,
          seed,
          antiEntropyIntervalMs: 0,
          maxTransferRate: 20_000,
          ...k.opts,
        })
        for (let i = 0; i < 60; i++)
          await c.put(0, `${String.fromCharCode(97 + (i % 26))}key${i}`, 'x'.repeat(100))
        const before = c.getPartitionMap()
        const pidBefore = c.getPartitionId('bkey7')
        const members = c.nodes
          .map((n) => n.id)
          .filter((id) => id !== 'node_2' || k.name !== 'hash removeNode')
        const pushed: number[] = []
        const off = c.onPartitionMap((m) => pushed.push(m.version))
        const copying: Array<ReturnType<typeof snapshot> & { target: number }> = []
        let done = false
        const tick = () => {
          if (done) return
          const m = c.getMoves().active[0]
          if (m?.phase === 'copying') copying.push({ ...snapshot(c, members), target: m.mapVersion })
          c.sim.schedule(100, tick)
        }
        c.sim.schedule(0, tick)
        await k.move(c)
        done = true
        off()
        expect(copying.length, `seed ${seed}: the move copied for several samples`).toBeGreaterThan(2)
        for (const s of copying) {
          expect(s.target, `seed ${seed}`).toBeGreaterThan(before.version)
          expect(s, `seed ${seed}`).toMatchObject({
            map: before.version,
            ring: before.version,
            pid: pidBefore,
          })
          for (const v of s.nodes)
            expect(v, `seed ${seed}: a node routes by the published map`).toBe(before.version)
        }
        const after = c.getPartitionMap()
        expect(after.version, `seed ${seed}`).toBe(copying[0].target)
        expect(c.getRing().version).toBe(after.version)
        expect(pushed, `seed ${seed}: one push, of the new map, after the copy`).toEqual([after.version])
        for (const n of c.nodes)
          if (n.status === 'up') expect(c.liveNode(n.id).ring.version).toBe(after.version)
        await c.shutdown()
      })
})

describe('updatePartitionMap during a move', () => {
  it('re-sends the published map, not the target the move is still copying to', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 2, seed: 5, maxTransferRate: 20_000 })
    for (let i = 0; i < 60; i++) await c.put(0, `k${i}`, 'x'.repeat(100))
    const before = c.getPartitionMap()
    const heard: number[] = []
    const off = c.onPartitionMap((m) => heard.push(m.version))
    let mid: { pushed: number; nodes: number[] } | null = null
    const tick = () => {
      if (mid) return
      if (c.getMoves().active[0]?.phase === 'copying') {
        const pushed = c.updatePartitionMap().version
        const nodes = ['node_0', 'node_1', 'node_2'].map((id) => c.liveNode(id).ring.version)
        mid = { pushed, nodes }
      } else c.sim.schedule(100, tick)
    }
    c.sim.schedule(0, tick)
    await c.addNode()
    off()
    expect(mid).toEqual({ pushed: before.version, nodes: [before.version, before.version, before.version] })
    const after = c.getPartitionMap()
    expect(after.version).toBeGreaterThan(before.version)
    expect(heard).toEqual([before.version, after.version])
    for (const n of c.nodes) expect(c.liveNode(n.id).ring.version).toBe(after.version)
    await c.shutdown()
  })
})
