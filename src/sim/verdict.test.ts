/**
 * The live checker on planted anomalies: each kind is reported with the cause the recorded state
 * supports (quorum sizes, stand-ins, partitions, clock skew, siblings).
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { Anomaly } from '../core/checker/anomaly'
import { checkLive } from './verdictRun'

function ofKind(list: readonly Anomaly[], kind: Anomaly['kind']): Anomaly[] {
  return list.filter((a) => a.kind === kind)
}

describe('live checker: planted anomalies and their causes', () => {
  it('R=W=1 and a partition: a stale read, caused by R + W ≤ N and a read at ONE during the partition', async () => {
    const c = await createSimCluster({
      numNodes: 5,
      replicationFactor: 3,
      writeQuorum: 1,
      readQuorum: 1,
      sloppyQuorum: false,
      antiEntropyIntervalMs: 0,
      seed: 3,
    })
    const live = checkLive(c)
    const [o0, o1] = c.liveNode(0).owners('k')
    await c.put(o0, 'k', 'v0')
    await c.settle()
    c.partition([[o0], c.nodes.map((n) => n.id).filter((id) => id !== o0)])
    await c.put(o0, 'k', 'v1')
    expect(await c.get(o1, 'k')).toBe('v0')
    const v = live.verdict()
    const [stale] = ofKind(v.list, 'stale-read')
    expect(stale.title).toContain("returned 'v0'")
    expect(stale.causes).toContain('R + W ≤ N (1 + 1 ≤ 3)')
    expect(stale.causes.some((x) => x.startsWith('read at ONE during a partition'))).toBe(true)
    expect(stale.nodes).toEqual(expect.arrayContaining([o0, o1]))
    // The replication that did not arrive: the write's replica to the replica read.
    expect(stale.links).toEqual(expect.arrayContaining([[o0, o1]]))
    expect(stale.opIds.length).toBeGreaterThan(0)
    // The stale read itself, for the diagram (reads carry no op id on the wire).
    expect(stale.reads).toEqual([expect.objectContaining({ node: o1, key: 'k' })])
    expect(stale.reads[0].endMs).not.toBeNull()
    const nonLin = ofKind(v.list, 'non-linearizable')
    expect(nonLin).toHaveLength(1)
    expect(nonLin[0].title).toBe(
      'k: no order of its 3 operations explains every result (1 could never be placed)',
    )
    expect(nonLin[0].causes).toEqual(stale.causes)
    expect(v.headline).toBe(
      '3 operations, 2 anomalies (1 stale read, 1 non-linearizable key), 1 key not linearizable',
    )
    await c.shutdown()
  })

  it('sloppy quorum: the write went to a stand-in while an owner was partitioned; a read of the owners is stale', async () => {
    const c = await createSimCluster({
      numNodes: 5,
      replicationFactor: 3,
      writeQuorum: 2,
      readQuorum: 2,
      sloppyQuorum: true,
      antiEntropyIntervalMs: 0,
      seed: 5,
    })
    const live = checkLive(c)
    const owners = c.liveNode(0).owners('k')
    const others = c.nodes.map((n) => n.id).filter((id) => !owners.includes(id))
    await c.put(owners[0], 'k', 'v0')
    await c.settle()
    c.partition([
      [owners[0], ...others],
      [owners[1], owners[2]],
    ])
    await c.runFor(3000) // the failure detector sees the owners gone, so stand-ins take writes
    const w = await c.put(owners[0], 'k', 'v1')
    const standin = w.acks.find((a) => a.hintedFor)
    expect(standin).toBeDefined()
    expect(await c.get(owners[1], 'k')).toBe('v0')
    const [stale] = ofKind(live.verdict().list, 'stale-read')
    expect(stale.causes).toContain(
      `sloppy quorum: the write went to stand-in ${standin!.node} while ${standin!.hintedFor} was partitioned`,
    )
    expect(stale.causes.some((x) => x.startsWith('R + W'))).toBe(false)
    expect(stale.links).toEqual(expect.arrayContaining([[standin!.node, standin!.hintedFor]]))
    await c.shutdown()
  })

  it("LWW with wall-clock timestamps and a clock 60 s ahead: a lost acknowledged write, caused by node_0's clock", async () => {
    const c = await createSimCluster({
      numNodes: 3,
      timestampSource: 'wallclock',
      antiEntropyIntervalMs: 0,
      seed: 7,
    })
    const live = checkLive(c)
    c.setClockSkew('node_0', 60_000)
    await c.put('node_0', 'k', 'early')
    await c.settle()
    await c.put('node_1', 'k', 'late')
    await c.settle()
    expect(await c.get('node_2', 'k')).toBe('early')
    const final = await live.finalCheck()
    const [lost] = ofKind(final, 'lost-write')
    expect(lost.title).toContain("write 'late'")
    expect(lost.causes[0]).toBe("LWW with wall-clock timestamps: node_0's clock ran 60 s ahead")
    const [stale] = ofKind(live.verdict().list, 'stale-read')
    expect(stale.causes[0]).toBe("LWW with wall-clock timestamps: node_0's clock ran 60 s ahead")
    await c.shutdown()
  })

  it('divergence: replicas still differ at the final check, caused by the partition still in effect', async () => {
    const c = await createSimCluster({ numNodes: 3, writeQuorum: 1, antiEntropyIntervalMs: 0, seed: 9 })
    const live = checkLive(c)
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.put('node_0', 'k', 'only-on-0')
    const final = await live.finalCheck()
    const [div] = ofKind(final, 'divergence')
    expect(div.key).toBe('k')
    expect(div.causes[0]).toMatch(/^a partition is still in effect/)
    expect(div.causes).toContain('anti-entropy is off (interval 0 ms) and no read repaired the key')
    expect(div.nodes).toEqual(['node_0', 'node_1', 'node_2'])
    await c.shutdown()
  })

  it('vector mode: concurrent writes on both sides of a partition are reported as siblings with their writers', async () => {
    const c = await createSimCluster({ numNodes: 3, consistencyMode: 'vector', seed: 11 })
    const live = checkLive(c)
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.put('node_0', 'k', 'A', { level: 'ONE' })
    await c.put('node_1', 'k', 'B', { level: 'ONE' })
    c.heal()
    await c.settle()
    const r = await c.read('node_2', 'k')
    expect(r.siblings).toHaveLength(2)
    const [sib] = ofKind(live.verdict().list, 'siblings')
    expect(sib.causes[0]).toMatch(
      /^concurrent writes by node_\d and node_\d: vector mode keeps each as a sibling/,
    )
    await c.shutdown()
  })

  it('failing disk commits: refused writes are counted per error code, and nothing acknowledged is lost', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, writeQuorum: 3, seed: 13 })
    const live = checkLive(c)
    await c.setDiskFaults('node_1', { commitFailRate: 1 })
    for (let i = 0; i < 5; i++) await c.put('node_0', `k${i}`, `v${i}`).catch(() => {})
    const v = live.verdict()
    const refused = Object.values(v.refusedByCode).reduce((s, n) => s + n, 0)
    expect(refused).toBe(5)
    await c.setDiskFaults('node_1', { commitFailRate: 0 })
    await c.settle()
    expect(ofKind(await live.finalCheck(), 'lost-write')).toEqual([])
    await c.shutdown()
  })
})

describe('live checker: CRDT ops', () => {
  it('crdt mode: counters and sets changed on both sides of a partition lose nothing after heal', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      consistencyMode: 'crdt',
      crdtConfig: { likes: 'pncounter', tags: 'orset' },
      seed: 17,
    })
    const live = checkLive(c)
    c.partition([['node_0'], ['node_1', 'node_2']])
    await c.applyCrdt(0, 'likes', { inc: 2 }, { level: 'ONE' })
    await c.applyCrdt(1, 'likes', { inc: 3 }, { level: 'ONE' })
    await c.applyCrdt(2, 'likes', { dec: 1 }, { level: 'ONE' })
    await c.applyCrdt(0, 'tags', { add: 'a' }, { level: 'ONE' })
    await c.applyCrdt(1, 'tags', { add: 'b' }, { level: 'ONE' })
    c.heal()
    await c.settle()
    const final = await live.finalCheck()
    expect(final).toEqual([])
    const v = live.verdict()
    expect(v.ops).toBe(5)
    expect(v.headline).toBe('5 operations, 0 anomalies')
    await c.shutdown()
  })
})
