import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ExchangeStats } from '../core/antiEntropy/exchangeStats'
import { installAntiEntropy, runAntiEntropy } from '../core/antiEntropy/install'
import type { NodeId } from '../core/ids'
import type { RowVersion } from '../core/protocol/messages'
import { engineRows, replayLine, sweepSeeds } from './dynamoHarness'
import type { SimCluster } from './simCluster'

const FILE = 'src/sim/antiEntropy.test.ts'

/** A row written straight into one replica (no op, so the replication log never carries it). */
function row(key: string, value: string | null, ts: number, node: string): RowVersion {
  return { key, value, tombstone: value === null, version: { ts, node: node as NodeId }, writtenAtMs: 0 }
}

async function seedKeys(c: SimCluster, count: number): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) => c.put((i + j) % 3, `k${i + j}`, `v${i + j}`)),
    )
  }
  await c.settle()
}

/** Makes replicas 0 and 1 diverge: newer values, deletes and new keys on each side, no ops logged. */
async function diverge(c: SimCluster, total: number, perSide: number): Promise<string[]> {
  const touched: string[] = []
  const a = c.liveNode(0)
  const b = c.liveNode(1)
  const big = 1_000_000
  const writes: Array<Promise<boolean>> = []
  for (let i = 0; i < perSide; i++) {
    const side = i % 2 === 0 ? a : b
    const kind = i % 3
    const key = kind === 2 ? `new${i}` : `k${(i * 7) % total}`
    const value = kind === 1 ? null : `div${i}`
    writes.push(side.applyRow(row(key, value, big + i, side.id)))
    touched.push(key)
  }
  await c.drive(Promise.all(writes))
  return touched
}

function sum(stats: ExchangeStats[], f: (s: ExchangeStats) => number): number {
  return stats.reduce((s, x) => s + f(x), 0)
}

describe('Merkle anti-entropy', () => {
  it('converges divergent replicas with no reads, moving only keys of mismatched leaves, deletes included', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 7, antiEntropyIntervalMs: 0 })
    await seedKeys(c, 600)
    const touched = await diverge(c, 600, 30)
    const before = [await engineRows(c, 0), await engineRows(c, 1)]
    expect(before[0]).not.toEqual(before[1])
    // Keys in the leaves the divergent keys fall into, on either replica (computed independently).
    const expected = new Set<string>()
    for (const ref of [0, 1]) {
      const idx = c.liveNode(ref).antiEntropy!.index
      for (const key of touched) {
        const rangeIndex = idx.rangeOf(key)
        const leaf = idx.ranges.get(rangeIndex)!.tree.leafOf(key)
        for (const k of idx.keysOfLeaves(rangeIndex, [leaf])) expected.add(k)
      }
    }
    const stats = await c.drive(runAntiEntropy(c.liveNode(0), { peer: c.liveNode(1).id }))
    expect(stats.every((s) => !s.error)).toBe(true)
    const moved = sum(stats, (s) => s.keysInMismatchedLeaves)
    expect(moved).toBe(expected.size)
    expect(moved).toBeLessThan(600 / 5)
    const a = await engineRows(c, 0)
    const b = await engineRows(c, 1)
    expect(a).toEqual(b)
    expect(a.get('k7')?.tombstone).toBe(true) // i=1 deleted k7 on node 1; the tombstone travelled
    // A second run finds nothing to move.
    const again = await c.drive(runAntiEntropy(c.liveNode(0), { peer: c.liveNode(1).id }))
    expect(sum(again, (s) => s.mismatchedLeaves)).toBe(0)
    expect(sum(again, (s) => s.keysSent + s.keysReceived)).toBe(0)
    const view = (await c.inspect(0)).merkle as { ranges: Array<{ rootHex: string; levels: string[][] }> }
    expect(view.ranges.length).toBeGreaterThan(0)
    expect(view.ranges[0].levels[0]).toHaveLength(1)
    expect(view.ranges[0].levels[1]).toHaveLength(4)
    await c.shutdown()
  })

  it('emits a merkle-exchange event per exchange with the stats as JSON detail', async () => {
    const details: string[] = []
    const c = await createSimCluster(
      { numNodes: 3, seed: 3, antiEntropyIntervalMs: 0 },
      { onEvent: (e) => e.type === 'merkle-exchange' && details.push(e.detail ?? '') },
    )
    await seedKeys(c, 50)
    await diverge(c, 50, 4)
    const stats = await c.drive(runAntiEntropy(c.liveNode(0)))
    expect(details).toHaveLength(stats.length)
    const parsed = JSON.parse(details[0])
    for (const f of [
      'peer',
      'rangeIndex',
      'levelsCompared',
      'nodesCompared',
      'mismatchedLeaves',
      'keysSent',
      'keysReceived',
      'bytesSent',
      'fullTransferBytes',
    ])
      expect(parsed).toHaveProperty(f)
    await c.shutdown()
  })

  it('periodic exchanges converge replicas by themselves (seed sweep)', async () => {
    for (const seed of sweepSeeds(10)) {
      const c = await createSimCluster({
        numNodes: 4,
        replicationFactor: 3,
        seed,
        antiEntropyIntervalMs: 500,
      })
      try {
        await seedKeys(c, 120)
        await diverge(c, 120, 12)
        await c.runFor(120_000)
        await c.settle()
        const rows = await Promise.all([0, 1, 2, 3].map((i) => engineRows(c, i)))
        for (let i = 0; i < 4; i++) {
          const ae = c.liveNode(i).antiEntropy!
          for (const [key, r] of rows[i]) {
            const state = ae.index.ranges.get(ae.index.rangeOf(key))
            if (!state) continue
            for (const peer of state.range.replicas) {
              const j = Number(peer.slice(5))
              expect(rows[j].get(key), `${key} on ${peer} vs node_${i}`).toEqual(r)
            }
          }
        }
      } catch (e) {
        console.error(replayLine(seed, FILE))
        throw e
      } finally {
        await c.shutdown()
      }
    }
  })

  it('reindexes from storage at restart (trees survive a crash)', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 11, antiEntropyIntervalMs: 0 })
    await seedKeys(c, 100)
    const root = (await c.inspect(1)).merkle as { ranges: Array<{ rootHex: string }> }
    await c.kill(1)
    await c.restart(1)
    const after = (await c.inspect(1)).merkle as { ranges: Array<{ rootHex: string }> }
    expect(after.ranges.map((r) => r.rootHex)).toEqual(root.ranges.map((r) => r.rootHex))
    expect(typeof installAntiEntropy).toBe('function')
    await c.shutdown()
  })
})
