/** The seed's replication behaviours, each as a test on the simulator. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterEvent } from '../core/events'
import { type NodeId, opId } from '../core/ids'
import type { Op } from '../core/replication/version'

describe('multi-leader replication (seed behaviours)', () => {
  it('a put on node 0 is readable on every node', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 3 })
    await c.put(0, 'k', 'v')
    await c.settle()
    for (let i = 0; i < 3; i++) expect(await c.get(i, 'k', { level: 'ONE' })).toBe('v')
    const ins = await c.inspect(2)
    expect(ins.lastSeen).toMatchObject({ node_0: 1 })
  })

  it('a duplicated op id is applied once', async () => {
    const applies: string[] = []
    const c = await createSimCluster(
      { numNodes: 2, seed: 4 },
      { onEvent: (e) => e.type === 'apply' && applies.push(`${e.node}/${e.opId}`) },
    )
    const node1 = c.liveNode(1)
    const op: Op = {
      id: opId('node_0' as NodeId, 1),
      origin: 'node_0' as NodeId,
      seq: 1,
      key: 'k',
      value: 'v',
      tombstone: false,
      version: { ts: 5, node: 'node_0' as NodeId },
      writtenAtMs: 0,
    }
    const outcomes = await c.drive(Promise.all([node1.applyOp(op, null), node1.applyOp(op, null)]))
    expect(await c.drive(node1.applyOp(op, null))).toBe('duplicate')
    expect(outcomes.sort()).toEqual(['applied', 'duplicate'])
    expect(applies.filter((a) => a === 'node_1/node_0:1')).toHaveLength(1)
  })

  it('duplicating every message on a link still applies each op once', async () => {
    const applies = new Map<string, number>()
    const onEvent = (e: ClusterEvent): void => {
      if (e.type === 'apply')
        applies.set(`${e.node}/${e.opId}`, (applies.get(`${e.node}/${e.opId}`) ?? 0) + 1)
    }
    const c = await createSimCluster({ numNodes: 3, seed: 5, consistency: 'ONE' }, { onEvent })
    c.setLink(0, 1, { duplicateRate: 1, jitterMs: 30 })
    for (let i = 0; i < 20; i++) await c.put(0, `k${i % 3}`, `v${i}`)
    await c.settle()
    expect(Math.max(...applies.values())).toBe(1)
    expect(await c.get(1, 'k1', { level: 'ONE' })).toBe(await c.get(0, 'k1', { level: 'ONE' }))
  })

  it('concurrent puts converge to the higher version everywhere', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 6, consistency: 'ONE' })
    c.partition([[0], [1], [2]])
    const [a, b] = await Promise.all([c.put(0, 'k', 'from0'), c.put(1, 'k', 'from1')])
    c.heal()
    await c.settle()
    const winner =
      a.version.ts > b.version.ts || (a.version.ts === b.version.ts && a.version.node > b.version.node)
        ? 'from0'
        : 'from1'
    for (let i = 0; i < 3; i++) expect(await c.get(i, 'k', { level: 'ONE' })).toBe(winner)
  })

  it('with a peer down, the write stays in the persisted replication log and reaches it after restart', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 7, consistency: 'ONE' })
    await c.kill(2)
    await c.put(0, 'k', 'v')
    await c.settle()
    const persisted = await c.disk(0).getRange('replog')
    expect(persisted.length).toBe(1)
    expect((persisted[0].value as Array<{ pending: string[] }>)[0].pending).toContain('node_2')
    expect((await c.inspect(0)).replog).toMatchObject({ byPeer: { node_2: 1 } })
    // The log survives the origin's own crash too.
    await c.kill(0)
    await c.restart(0)
    expect((await c.inspect(0)).replog).toMatchObject({ size: 1 })
    await c.restart(2)
    await c.settle()
    expect(await c.get(2, 'k', { level: 'ONE' })).toBe('v')
    expect(await c.disk(0).getRange('replog')).toEqual([])
  })

  it.each([
    ['ring', 4, { 0: [1], 1: [2], 2: [3], 3: [0] }],
    ['star', 4, { 0: [1, 2, 3], 1: [0], 2: [0], 3: [0] }],
  ])(
    'a %s topology delivers through intermediates, applied once per node',
    async (_name, numNodes, topology) => {
      const applies = new Map<string, number>()
      const onEvent = (e: ClusterEvent): void => {
        if (e.type === 'apply')
          applies.set(`${e.node}/${e.opId}`, (applies.get(`${e.node}/${e.opId}`) ?? 0) + 1)
      }
      const c = await createSimCluster({ numNodes, seed: 8, topology, consistency: 'ONE' }, { onEvent })
      await c.put(1, 'k', 'v')
      await c.settle()
      for (let i = 0; i < numNodes; i++) expect(await c.get(i, 'k', { level: 'ONE' })).toBe('v')
      expect([...applies.entries()].filter(([k]) => k.endsWith('/node_1:1')).map(([, n]) => n)).toEqual(
        Array(numNodes).fill(1),
      )
    },
  )

  it('Lamport: clock skew does not lose writes; wall-clock timestamps under skew do', async () => {
    for (const [timestampSource, expected] of [
      ['lamport', 'second'],
      ['wallclock', 'first'],
    ] as const) {
      const c = await createSimCluster({ numNodes: 2, seed: 9, consistency: 'ONE', timestampSource })
      c.setClockSkew(0, 60_000) // node 0's clock runs a minute ahead
      await c.put(0, 'k', 'first')
      await c.settle()
      await c.put(1, 'k', 'second') // later in real time, but stamped earlier under wall clocks
      await c.settle()
      expect(await c.get(0, 'k', { level: 'ONE' })).toBe(expected)
      expect(await c.get(1, 'k', { level: 'ONE' })).toBe(expected)
    }
  })

  it('heartbeats: peers see a killed node go suspect then down, and up again after restart', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 10,
      heartbeatIntervalMs: 100,
      heartbeatTimeoutMs: 600,
    })
    await c.kill(1)
    await c.runFor(400)
    expect((await c.inspect(0)).peers).toMatchObject({ node_1: 'suspect' })
    await c.runFor(400)
    expect((await c.inspect(0)).peers).toMatchObject({ node_1: 'down', node_2: 'up' })
    await c.restart(1)
    await c.runFor(300)
    expect((await c.inspect(0)).peers).toMatchObject({ node_1: 'up' })
  })

  it('pull sync: FetchUpdates with a version vector brings exactly the missing ops', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 11, consistency: 'ONE' })
    c.setLink(0, 2, { cut: true })
    await c.put(0, 'a', '1')
    await c.runFor(2000) // resends to node 2 are lost and back off
    c.heal()
    const node2 = c.liveNode(2)
    const before = c.events.toArray().length
    node2.stream.pullSync()
    await c.runFor(10) // far shorter than the resend backoff: only the pull can deliver
    const replies = c.events
      .toArray()
      .slice(before)
      .filter((e) => e.type === 'send' && e.node === 'node_0' && e.peer === 'node_2' && e.msg === 'replicate')
    expect(replies.length).toBe(1)
    expect(await c.get(2, 'a', { level: 'ONE' })).toBe('1')
  })
})

describe('cluster.antiEntropy', () => {
  it('runs a Merkle round on demand and converges a replica that missed a write', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 12, consistency: 'ONE', merkleDepth: 6 })
    // node_2 gets a row no one else has, written straight to its storage (no replication op).
    await c.drive(
      c.liveNode(2).applyRow({
        key: 'orphan',
        value: 'x',
        tombstone: false,
        version: { ts: 99, node: 'node_2' as NodeId },
        writtenAtMs: 0,
      }),
    )
    expect(await c.get(0, 'orphan', { level: 'ONE' })).toBeNull()
    const stats = await c.antiEntropy(0)
    expect(stats.length).toBeGreaterThan(0)
    await c.antiEntropy(1)
    expect(await c.get(0, 'orphan', { level: 'ONE' })).toBe('x')
  })
})
