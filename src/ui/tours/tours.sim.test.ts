/**
 * Every tour document, played on a simulator cluster (its options and seed) with the real actions
 * (kill, partition, client operations through the page's outcome tap, add node): each step's
 * completion condition — data in the document's narration — must tick from the cluster's own
 * snapshots, events and recorded actions, in order, and the narration must carry the figures.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../../cluster/createCluster'
import type { NodeSnapshot } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import { clusterOptionsOf } from '../../scenario/codec'
import { outcomeTap } from '../../scenario/outcomes'
import type { SimCluster } from '../../sim/simCluster'
import type { Tab } from '../store/uiSlice'
import { observe } from './observe'
import { advance, isFinished, startProgress, type TourProgress } from './progress'
import { tourById } from './tours'
import type { Tour } from './types'
import type { UserOp } from './userOps'

const SEED = Number(process.env.SEED ?? 7)

async function harness(tourId: string) {
  const tour = tourById(tourId) as Tour
  const { runtime: _, ...opts } = clusterOptionsOf(tour.doc, 'sim')
  const c: SimCluster = await createSimCluster({ ...opts, seed: SEED })
  // Client operations reach the tour as the page's do: recorded, with their outcomes.
  let recorded: UserOp[] = []
  const tapped = outcomeTap(c, (o) => {
    if (o.op) recorded.push(o as UserOp)
  })
  const snaps: Record<string, NodeSnapshot> = {}
  let events: ClusterEvent[] = []
  c.subscribe((u) => {
    for (const n of u.nodes) snaps[n.id] = n
    for (const e of u.events) if (e.type !== 'send' && e.type !== 'deliver') events.push(e)
  })
  let p: TourProgress = startProgress(tour)
  let tab: Tab = 'console'
  const h = {
    tour,
    c,
    get p() {
      return p
    },
    set tab(t: Tab) {
      tab = t
    },
    /** Observes (the page does every 200 ms); `ops` only in the first observation. */
    look(ops: UserOp[] = [], times = 1) {
      for (let i = 0; i < times; i++) {
        c.flushUpdates()
        const s = {
          cluster: c,
          members: c.nodes.map((n) => n.id as string),
          snapshots: snaps,
          faults: c.faults(),
          tab,
          ring: c.getRing(),
          samples: [],
          workloadRunning: false,
        }
        p = advance(tour, p, observe(s, events, i === 0 ? ops : []))
        events = []
      }
      return p.stepIndex
    },
    /** Runs virtual time, observing every 200 ms, until `done()` or `ms` passed. */
    async runUntil(done: () => boolean, ms: number) {
      for (let t = 0; t < ms && !done(); t += 200) {
        await c.runFor(200)
        h.look()
      }
    },
    /** Writes `n` keys through the live nodes (the page's gentle workload would). */
    async writes(n: number, prefix: string, level?: 'ONE') {
      const live = c.nodes.filter((x) => x.status === 'up').map((x) => x.index)
      for (let i = 0; i < n; i++)
        await c.put(live[i % live.length], `${prefix}${i}`, `v${i}`, level ? { level } : {}).catch(() => {})
    },
    /** A client operation on the recorded cluster (as the console makes it); its outcome reaches the tour. */
    async op(o: { op: 'put' | 'get'; node: string; key: string; value?: string; level: string }) {
      const lv = o.level === 'default' ? {} : { level: o.level as 'ONE' }
      const call =
        o.op === 'put' ? tapped.put(o.node, o.key, o.value ?? 'v', lv) : tapped.read(o.node, o.key, lv)
      await call.catch(() => {})
      await Promise.resolve() // the outcome is reported when the call settles
      const ops = recorded
      recorded = []
      h.look(ops, 2)
      return ops[0]
    },
  }
  return h
}

describe(`tours on the simulator tick step by step from the cluster (SEED=${SEED})`, () => {
  it('hints: kill, hints pile up, restart, drain — with who held how many and how fast', async () => {
    const h = await harness('hints')
    expect(h.look([], 3)).toBe(0)
    await h.c.kill('node_1')
    expect(h.look()).toBe(1)
    await h.c.runFor(3000) // the failure detector notices
    await h.writes(40, 'k')
    await h.runUntil(() => h.p.stepIndex >= 2, 5000)
    expect(h.p.stepIndex).toBe(2)
    expect(h.p.saw[1]).toMatch(/^node_\d holds \d+ hints for node_1/)
    h.look([], 3)
    expect(h.p.stepIndex).toBe(2) // does not restart by itself
    await h.c.restart('node_1')
    h.look()
    expect(h.p.stepIndex).toBe(3)
    await h.runUntil(() => isFinished(h.tour, h.p), 60_000)
    expect(isFinished(h.tour, h.p), JSON.stringify(h.p.memo)).toBe(true)
    expect(h.p.saw[3]).toMatch(/held up to \d+ hints for node_1 \(\d+ in all\); they drained in \d+\.\d s\./)
    await h.c.shutdown()
  })

  it('partition and quorums: ALL fails, QUORUM fails on the cut-off side, ONE works, heal', async () => {
    const h = await harness('partition-quorums')
    h.c.partition([['node_0', 'node_1'], ['node_2']])
    h.look()
    expect(h.p.stepIndex).toBe(1)
    await h.op({ op: 'put', node: 'node_0', key: 'a', level: 'ONE' }) // not the step
    expect(h.p.stepIndex).toBe(1)
    const all = await h.op({ op: 'put', node: 'node_0', key: 'a', level: 'ALL' })
    expect(all.ok).toBe(false)
    expect(h.p.stepIndex).toBe(2)
    await h.op({ op: 'put', node: 'node_2', key: 'b', level: 'QUORUM' })
    expect(h.p.stepIndex).toBe(3)
    await h.op({ op: 'put', node: 'node_2', key: 'b', level: 'ONE' })
    expect(h.p.stepIndex).toBe(4)
    h.c.heal()
    h.look()
    expect(isFinished(h.tour, h.p)).toBe(true)
    expect(h.p.saw[1]).toContain('failed with QUORUM_NOT_MET')
    await h.c.shutdown()
  })

  it('anti-entropy: partition, backlog grows, heal, converge with Merkle figures', async () => {
    const h = await harness('anti-entropy')
    h.c.partition([['node_0', 'node_1'], ['node_2']])
    h.look()
    await h.writes(30, 'L', 'ONE')
    await h.runUntil(() => h.p.stepIndex >= 2, 3000)
    expect(h.p.stepIndex).toBe(2)
    h.c.heal()
    h.look()
    expect(h.p.stepIndex).toBe(3)
    await h.runUntil(() => isFinished(h.tour, h.p), 30_000)
    expect(isFinished(h.tour, h.p), JSON.stringify(h.p.memo)).toBe(true)
    expect(h.p.saw[3]).toMatch(
      /Converged \d+\.\d s after the heal \(backlog \d+ → \d+ ops\); \d+ Merkle exchanges/,
    )
    await h.c.shutdown()
  })

  it('clock skew: the skewed node’s earlier write wins over the later one, and the tour says so', async () => {
    const h = await harness('clock-skew')
    h.c.setClockSkew('node_0', 60_000)
    await h.c.runFor(200)
    h.look()
    expect(h.p.stepIndex).toBe(1)
    await h.op({ op: 'put', node: 'node_1', key: 'cart', value: 'x', level: 'default' }) // not through the skewed node
    expect(h.p.stepIndex).toBe(1)
    await h.op({ op: 'put', node: 'node_0', key: 'cart', value: 'milk', level: 'default' })
    await h.c.settle()
    await h.op({ op: 'put', node: 'node_1', key: 'cart', value: 'eggs', level: 'default' })
    await h.c.settle()
    await h.op({ op: 'get', node: 'node_2', key: 'cart', level: 'ALL' })
    expect(isFinished(h.tour, h.p)).toBe(true)
    expect(h.p.saw[3]).toContain('The read returned milk: the later, acknowledged eggs lost')
    await h.c.shutdown()
  })

  it('conflict modes: both sides write cart, heal, the read shows two siblings', async () => {
    const h = await harness('conflict-modes')
    h.c.partition([['node_0'], ['node_1', 'node_2']])
    h.look()
    await h.op({ op: 'put', node: 'node_1', key: 'cart', value: 'eggs', level: 'ONE' }) // zone A first: not step 2
    expect(h.p.stepIndex).toBe(1)
    await h.op({ op: 'put', node: 'node_0', key: 'cart', value: 'milk', level: 'ONE' })
    await h.op({ op: 'put', node: 'node_2', key: 'cart', value: 'eggs', level: 'ONE' })
    expect(h.p.stepIndex).toBe(3)
    h.c.heal()
    await h.c.settle()
    h.look()
    await h.op({ op: 'get', node: 'node_2', key: 'cart', level: 'ALL' })
    expect(isFinished(h.tour, h.p)).toBe(true)
    expect(h.p.saw[4]).toContain('The read returned 3 siblings') // eggs twice (one per side's write) and milk
    await h.c.shutdown()
  })

  it('elasticity: cluster tab, add a node, rows move, ring tab', async () => {
    const h = await harness('elasticity')
    await h.writes(60, 'e')
    h.look()
    h.tab = 'cluster'
    h.look()
    expect(h.p.stepIndex).toBe(1)
    await h.c.addNode()
    await h.runUntil(() => h.p.stepIndex >= 3, 5000)
    expect(h.p.stepIndex, JSON.stringify(h.p.memo)).toBe(3)
    expect(h.p.saw[2]).toMatch(/^\d+ rows streamed to their new replicas/)
    h.tab = 'ring'
    h.look()
    expect(isFinished(h.tour, h.p)).toBe(true)
    expect(h.p.saw[1]).toContain('node_5 joined')
    expect(h.p.saw[3]).toMatch(/^Ring version \d+: node_5 holds [1-9]\d* rows/)
    await h.c.shutdown()
  })
})
