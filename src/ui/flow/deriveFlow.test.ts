import { describe, expect, it } from 'vitest'
import type { NodeSnapshot } from '../../cluster/types'
import { deriveFlow, type FlowInput, faultLabel, topologyLinks } from './deriveFlow'
import { groupsFromZones, layoutZones, zoneAt, zonesFromGroups } from './layout'

const ids = ['node_0', 'node_1', 'node_2']

function snap(id: string, patch: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    id: id as NodeSnapshot['id'],
    status: 'up',
    clock: 3,
    lastSeen: {},
    keyCount: 2,
    memtableBytes: 100,
    tablesPerLevel: [1],
    hintsHeld: 0,
    hintBytes: 0,
    hintsByTarget: {},
    replogByPeer: {},
    peerViews: {},
    clockSkewMs: 0,
    ...patch,
  }
}

function input(patch: Partial<FlowInput> = {}): FlowInput {
  return {
    members: ids,
    snapshots: Object.fromEntries(ids.map((id) => [id, snap(id)])),
    zoneOf: {},
    links: {},
    traffic: {},
    ...patch,
  }
}

const dbNodes = (f: ReturnType<typeof deriveFlow>) => f.nodes.filter((n) => n.type === 'db')
const links = (f: ReturnType<typeof deriveFlow>) => f.edges.filter((e) => e.type === 'link')

describe('deriveFlow', () => {
  it('a failed node shows failed with its coded reason; the others are unaffected', () => {
    const failure = { code: 'STORAGE_CORRUPT' as const, message: 'garbage WAL record 3' }
    const snapshots = {
      ...input().snapshots,
      node_1: snap('node_1', { status: 'failed', failure }),
    }
    const nodes = dbNodes(deriveFlow(input({ snapshots })))
    expect(nodes.map((n) => n.data.status)).toEqual(['up', 'failed', 'up'])
    expect(nodes[1].data.failure).toEqual(failure)
    expect(nodes[0].data.failure).toBeUndefined()
  })

  it('one node per member plus three zones (the kill area is a strip outside the flow)', () => {
    const f = deriveFlow(input())
    expect(dbNodes(f).map((n) => n.id)).toEqual(ids)
    expect(f.nodes.filter((n) => n.type === 'zone').map((n) => n.id)).toEqual(['zone:A', 'zone:B', 'zone:C'])
    const n0 = dbNodes(f)[0]
    expect(n0.data).toMatchObject({
      id: 'node_0',
      status: 'up',
      clock: 3,
      keyCount: 2,
      backlog: 0,
      zone: 'A',
    })
  })

  it('all-to-all: one edge per unordered pair', () => {
    expect(links(deriveFlow(input())).map((e) => e.id)).toEqual([
      'link:node_0~node_1',
      'link:node_0~node_2',
      'link:node_1~node_2',
    ])
  })

  it('ring topology: only configured pairs, with direction flags', () => {
    const f = deriveFlow(input({ topology: { 0: [1], 1: [2] } }))
    const e = links(f)
    expect(e.map((x) => x.id)).toEqual(['link:node_0~node_1', 'link:node_1~node_2'])
    const d = e[0].data as { ab: { inTopology: boolean }; ba: { inTopology: boolean } }
    expect(d.ab.inTopology).toBe(true)
    expect(d.ba.inTopology).toBe(false)
  })

  it('off-topology pairs appear while they carry traffic', () => {
    const f = deriveFlow(
      input({ topology: { 0: [1] }, traffic: { 'node_2>node_0': { ratePerSec: 4, dropsPerSec: 0 } } }),
    )
    expect(links(f).map((e) => e.id)).toContain('link:node_0~node_2')
  })

  it('zones place nodes and mark partitioned links', () => {
    const f = deriveFlow(input({ zoneOf: { node_2: 'B' } }))
    const zoneB = f.nodes.find((n) => n.id === 'zone:B')!
    const n2 = dbNodes(f).find((n) => n.id === 'node_2')!
    expect(n2.position.x).toBeGreaterThanOrEqual(zoneB.position.x)
    expect((n2.data as { zone: string }).zone).toBe('B')
    const e = links(f)
    expect(e.find((x) => x.id === 'link:node_0~node_1')!.data).toMatchObject({ partitioned: false })
    expect(e.find((x) => x.id === 'link:node_0~node_2')!.data).toMatchObject({ partitioned: true })
  })

  it('cards carry the batching windows when the cluster batches, and nothing when it does not', () => {
    const b = {
      commitWindowMs: 3,
      sendWindowMs: 1,
      windowMsMax: 4,
      commits: 10,
      writes: 40,
      replicateMessages: 5,
      replicateItems: 20,
    }
    const on = deriveFlow(
      input({ snapshots: { ...input().snapshots, node_0: snap('node_0', { batching: b }) } }),
    )
    expect(dbNodes(on)[0].data).toMatchObject({ batching: { commitMs: 3, sendMs: 1, maxMs: 4 } })
    const off = deriveFlow(
      input({
        snapshots: { ...input().snapshots, node_0: snap('node_0', { batching: { ...b, windowMsMax: 0 } }) },
      }),
    )
    expect(dbNodes(off)[0].data.batching).toBeUndefined()
  })

  it('at 16 nodes and more, draws only the hint arrows holding the most hints (2 per node)', () => {
    const many = Array.from({ length: 16 }, (_, i) => `node_${i}`)
    const snapshots = Object.fromEntries(
      many.map((id, i) => [
        id,
        snap(id, {
          hintsHeld: 15,
          hintsByTarget: Object.fromEntries(
            many.filter((o) => o !== id).map((o, j) => [o, 1 + ((i + j) % 7)]),
          ),
          peerViews: Object.fromEntries(many.filter((o) => o !== id).map((o) => [o, 'down' as const])),
        }),
      ]),
    )
    const f = deriveFlow(input({ members: many, snapshots }))
    const hints = f.edges.filter((e) => e.type === 'hint')
    expect(hints).toHaveLength(32)
    expect(hints.every((e) => !e.animated)).toBe(true)
    expect(Math.min(...hints.map((e) => (e.data as { count: number }).count))).toBe(7)
  })

  it('hint arrows: owner → stand-in while held, stand-in → owner while draining, then "delivered" for a moment', () => {
    const holding = {
      ...input().snapshots,
      node_0: snap('node_0', { hintsHeld: 3, hintsByTarget: { node_2: 3 }, peerViews: { node_2: 'down' } }),
    }
    const hints = (f: ReturnType<typeof deriveFlow>) => f.edges.filter((e) => e.type === 'hint')
    const h = hints(deriveFlow(input({ snapshots: holding })))
    expect(h).toHaveLength(1)
    expect(h[0]).toMatchObject({
      source: 'node_0',
      target: 'node_2',
      ariaLabel: 'node_0 holds 3 hints for node_2, which is down',
      data: {
        holder: 'node_0',
        owner: 'node_2',
        phase: 'holding',
        count: 3,
        chip: { lines: ['3 hints held'] },
      },
    })
    const draining = {
      ...holding,
      node_0: snap('node_0', { hintsHeld: 1, hintsByTarget: { node_2: 1 }, peerViews: { node_2: 'up' } }),
    }
    expect(hints(deriveFlow(input({ snapshots: draining })))[0].data).toMatchObject({
      phase: 'draining',
      count: 1,
      chip: { lines: ['delivering · 1 left'] },
    })
    const drained = { ...holding, node_0: snap('node_0', { hintsByTarget: { node_2: 0 } }) }
    expect(hints(deriveFlow(input({ snapshots: drained })))).toHaveLength(0)
    const lingering = hints(deriveFlow(input({ snapshots: drained, hintsDelivered: { 'node_0>node_2': 3 } })))
    expect(lingering[0].data).toMatchObject({
      phase: 'delivered',
      count: 3,
      chip: { lines: ['delivered 3 ✓'] },
    })
    // While hints are still held, the live arrow wins over a finished drain's.
    const both = hints(deriveFlow(input({ snapshots: draining, hintsDelivered: { 'node_0>node_2': 2 } })))
    expect(both.map((e) => e.data?.phase)).toEqual(['draining'])
  })

  it('cut and latency labels per direction; status from peers', () => {
    const f = deriveFlow(
      input({
        links: {
          'node_0>node_1': { cut: true },
          'node_1>node_0': { latencyMs: 120, jitterMs: 20, lossRate: 0.3 },
        },
        snapshots: {
          node_0: snap('node_0', { peerViews: { node_2: 'suspect' } }),
          node_1: snap('node_1', { status: 'down' }),
          node_2: snap('node_2'),
        },
      }),
    )
    const d = links(f)[0].data as { ab: { faultLabel: string }; ba: { faultLabel: string } }
    expect(d.ab.faultLabel).toBe('cut')
    expect(d.ba.faultLabel).toBe('120±20ms loss 30%')
    const st = Object.fromEntries(dbNodes(f).map((n) => [n.id, (n.data as { status: string }).status]))
    expect(st).toEqual({ node_0: 'up', node_1: 'down', node_2: 'suspect' })
  })

  it('backlog sums replogByPeer and the dragged node follows the pointer', () => {
    const snapshots = {
      ...input().snapshots,
      node_1: snap('node_1', { replogByPeer: { node_0: 2, node_2: 5 } }),
    }
    const f = deriveFlow(input({ snapshots, drag: { id: 'node_1', x: 999, y: 7 } }))
    const n1 = dbNodes(f).find((n) => n.id === 'node_1')!
    expect((n1.data as { backlog: number }).backlog).toBe(7)
    expect(n1.position).toEqual({ x: 999, y: 7 })
  })

  it('compact nodes from 13 members', () => {
    const many = Array.from({ length: 16 }, (_, i) => `node_${i}`)
    const f = deriveFlow(input({ members: many, snapshots: {} }))
    expect(dbNodes(f).every((n) => (n.data as { compact: boolean }).compact)).toBe(true)
    // Idle links of an all-to-all cluster are hidden from 13 nodes (see 'large clusters').
    expect(links(f)).toHaveLength(0)
  })
})

describe('layout helpers', () => {
  it('zoneAt finds zones; outside all of them is null', () => {
    const l = layoutZones(ids, {}, false)
    const b = l.zones[1]
    expect(zoneAt({ x: b.x + 5, y: b.y + 5 }, l)).toBe('B')
    expect(zoneAt({ x: -100, y: -100 }, l)).toBeNull()
  })
  it('groups by zone; one zone means no partition', () => {
    expect(groupsFromZones(ids, {})).toEqual([])
    expect(groupsFromZones(ids, { node_2: 'C' })).toEqual([['node_0', 'node_1'], ['node_2']])
    expect(groupsFromZones(ids, { node_0: 'B', node_1: 'B', node_2: 'B' })).toEqual([])
  })
  it('topologyLinks and faultLabel', () => {
    expect(topologyLinks(ids).size).toBe(6)
    expect([...topologyLinks(ids, { 0: [1, 2] })]).toEqual(['node_0>node_1', 'node_0>node_2'])
    expect(faultLabel(undefined)).toBe('')
    expect(faultLabel({ duplicateRate: 0.1 })).toBe('dup 10%')
  })
})

describe('large clusters', () => {
  const many = Array.from({ length: 16 }, (_, i) => `node_${i}`)
  const big = (patch: Partial<FlowInput> = {}) =>
    input({ members: many, snapshots: Object.fromEntries(many.map((id) => [id, snap(id)])), ...patch })
  it('draw only busy or faulted links of an all-to-all topology, without rate labels', () => {
    expect(links(deriveFlow(big()))).toHaveLength(0)
    const f = deriveFlow(
      big({
        traffic: { 'node_0>node_1': { ratePerSec: 5, dropsPerSec: 0 } },
        links: { 'node_2>node_3': { cut: true } },
      }),
    )
    expect(links(f).map((e) => e.id)).toEqual(['link:node_0~node_1', 'link:node_2~node_3'])
    expect(links(f)[0].data).toMatchObject({ dense: true })
  })
  it('keep at most two links per node, the busiest', () => {
    const traffic: Record<string, { ratePerSec: number; dropsPerSec: number }> = {}
    for (let i = 0; i < 16; i++)
      for (let j = 0; j < 16; j++)
        if (i !== j) traffic[`node_${i}>node_${j}`] = { ratePerSec: i + j, dropsPerSec: 0 }
    const l = links(deriveFlow(big({ traffic })))
    expect(l).toHaveLength(32)
    expect(l.map((e) => e.id)).toContain('link:node_14~node_15')
  })
  it('the link a single step delivered a message over is drawn (even when idle) and says so on its chip', () => {
    const step = { from: 'node_9', to: 'node_4', msg: 'replicate' }
    const l = links(deriveFlow(big({ step })))
    expect(l.map((e) => e.id)).toEqual(['link:node_4~node_9'])
    expect(l[0].data).toMatchObject({ step })
    expect(l[0].data?.chip?.lines).toEqual(['step: replicate node_9→node_4'])
    expect(links(deriveFlow(big({ step: null })))).toHaveLength(0)
  })
  it('keep every link of a custom topology', () => {
    expect(links(deriveFlow(big({ topology: { 0: [1], 1: [2] } })))).toHaveLength(2)
  })
})

describe('zonesFromGroups', () => {
  it("maps the cluster's partition groups to zones, keeping groups where they were", () => {
    expect(zonesFromGroups(ids, [])).toEqual({})
    expect(zonesFromGroups(ids, [['node_0', 'node_1', 'node_2']])).toEqual({})
    // node_2 alone; the rest (in no group) is the bigger group and stays in A.
    expect(zonesFromGroups(ids, [['node_2']])).toEqual({ node_2: 'B' })
    // Previously dragged to C: stays in C.
    expect(zonesFromGroups(ids, [['node_2']], { node_2: 'C' })).toEqual({ node_2: 'C' })
    // Four groups: the extra one shares zone C.
    const four = ['a', 'b', 'c', 'd']
    const z = zonesFromGroups(four, [['a'], ['b'], ['c'], ['d']])
    expect(new Set(Object.values(z)).size).toBeLessThanOrEqual(2)
    expect(Object.keys(z)).toHaveLength(3)
  })
})

describe('edge chips and drag feedback', () => {
  it('a one-way cut gets a chip naming its direction, placed clear of every card', () => {
    const f = deriveFlow(input({ links: { 'node_0>node_1': { cut: true } } }))
    const e = links(f).find((x) => x.id === 'link:node_0~node_1')!
    const data = e.data as import('./deriveFlow').LinkEdgeData
    expect(data.chip?.lines).toEqual(['node_0→node_1 cut'])
    expect(data.ab.faultLabel).toBe('cut')
    expect(data.ba.faultLabel).toBe('')
  })
  it('the hovered zone carries the drop caption while a node is dragged over it', () => {
    const l = layoutZones(ids, {}, false)
    const b = l.zones[1]
    const f = deriveFlow(input({ drag: { id: 'node_1', x: b.x + 2, y: b.y + 60 } }))
    const zb = f.nodes.find((n) => n.id === 'zone:B')!
    expect(zb.data).toMatchObject({ dropCaption: 'release to partition node_1 from 2 peers' })
    expect(f.nodes.find((n) => n.id === 'zone:A')!.data).not.toHaveProperty('dropCaption')
  })
})
