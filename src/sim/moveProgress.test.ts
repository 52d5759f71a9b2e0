/**
 * Move progress in inspect(): totals counted before streaming, bytes and keys done rising
 * monotonically, an ETA of remaining bytes over the rate, and the finished move with its duration.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { MoveProgress } from '../cluster/moveProgress'
import type { ClusterOptions } from '../cluster/types'

const RANGE: Omit<ClusterOptions, 'runtime'> = {
  numNodes: 2,
  seed: 31,
  replicationFactor: 1,
  partitionStrategy: 'range',
  keyRanges: [
    ['a', 'm'],
    ['m', null],
  ],
  antiEntropyIntervalMs: 0,
}

/** Bytes one row counts for against the rate (handOff.ts rowsBytes: key + value + 40). */
const rowBytes = (key: string, value: string) => key.length + value.length + 40

type Sim = Awaited<ReturnType<typeof createSimCluster>>

/** Samples getMoves() every `everyMs` of virtual time while `run` is pending. */
async function sampled<T>(c: Sim, everyMs: number, run: () => Promise<T>) {
  const samples: Array<{ t: number; move: MoveProgress }> = []
  let done = false
  const tick = () => {
    if (done) return
    for (const move of c.getMoves().active) samples.push({ t: c.sim.nowMs, move })
    c.sim.schedule(everyMs, tick)
  }
  c.sim.schedule(0, tick)
  const result = await run()
  done = true
  return { result, samples }
}

describe('move progress (inspect().moves)', () => {
  it('a throttled transfer: totals right, progress monotonic, ETA ≈ remaining / rate, then recent with its duration', async () => {
    const rate = 4000
    const c = await createSimCluster({ ...RANGE, maxTransferRate: rate })
    let bytes = 0
    for (let i = 0; i < 120; i++) {
      const k = `b${String(i).padStart(3, '0')}`
      const v = 'x'.repeat(100)
      await c.put(0, k, v)
      bytes += rowBytes(k, v)
    }
    const t0 = c.sim.nowMs
    const { samples } = await sampled(c, 200, () => c.transferPartition(0, 1, 0))
    const copying = samples.filter((s) => s.move.phase === 'copying').map((s) => s.move)
    expect(copying.length).toBeGreaterThan(5)
    const first = copying[0]
    expect(first).toMatchObject({
      kind: 'transfer',
      label: 'move partition 0 from node_0 to node_1',
      keysTotal: 120,
      bytesTotal: bytes,
      from: ['node_0'],
      to: ['node_1'],
      rateBytesPerSec: rate,
    })
    expect(first.partitions).toEqual([
      { id: 0, start: 'a', end: 'm', from: ['node_0'], to: ['node_1'], wasOwner: 'node_0', wasIds: [0] },
    ])
    for (let i = 1; i < copying.length; i++) {
      expect(copying[i].bytesDone).toBeGreaterThanOrEqual(copying[i - 1].bytesDone)
      expect(copying[i].keysDone).toBeGreaterThanOrEqual(copying[i - 1].keysDone)
      expect(copying[i].bytesDone).toBeLessThanOrEqual(copying[i].bytesTotal)
    }
    // Progress is visible in between, not only 0 and 100%.
    expect(copying.some((m) => m.bytesDone > 0 && m.bytesDone < m.bytesTotal)).toBe(true)
    // ETA: remaining bytes over the node's share of the rate (>= 95% of the cluster's rate here).
    for (const m of copying) {
      const expected = ((m.bytesTotal - m.bytesDone) / rate) * 1000
      expect(m.etaMs).not.toBeNull()
      expect(m.etaMs!).toBeGreaterThanOrEqual(expected * 0.99)
      expect(m.etaMs!).toBeLessThanOrEqual(expected * 1.06 + 1)
      // The whole move: this pass plus a catch-up as long as the copy (B / rate again).
      expect(m.etaDoneMs!).toBeGreaterThanOrEqual(m.etaMs! + (bytes / rate) * 1000 * 0.99)
      expect(m.etaDoneMs!).toBeLessThanOrEqual(m.etaMs! + (bytes / rate) * 1000 * 1.1)
    }
    // The copy pass took at least B / rate; the catch-up pass follows, then the move is recent.
    const catching = samples.filter((s) => s.move.phase === 'catching-up')
    expect(catching.length).toBeGreaterThan(0)
    const published = catching[0].move.publishedAtMs!
    expect(published - t0).toBeGreaterThanOrEqual((bytes / rate) * 1000)
    expect(catching[0].move.catchUp).toMatchObject({ keysTotal: 120, bytesTotal: bytes })
    const view = await c.inspect()
    expect(view.moves).toEqual([])
    expect(view.recentMoves[0]).toMatchObject({
      kind: 'transfer',
      phase: 'done',
      keysDone: 120,
      bytesDone: bytes,
      etaMs: 0,
      catchUp: { keysDone: 120, bytesDone: bytes },
    })
    expect(view.recentMoves[0].durationMs).toBe(
      view.recentMoves[0].finishedAtMs! - view.recentMoves[0].startedAtMs,
    )
    expect(view.recentMoves[0].durationMs!).toBeGreaterThanOrEqual(((2 * bytes) / rate) * 1000)
    expect(view.partitionMap.partitions[0].node).toBe('node_1')
    await c.shutdown()
  })

  it('addNode and split are moves too: kind, receiving node, totals equal to what moved', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 5,
      replicationFactor: 1,
      antiEntropyIntervalMs: 0,
      maxTransferRate: 8000,
    })
    const keys = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')}`)
    for (const k of keys) await c.put(0, k, 'v'.repeat(50))
    const { result: id, samples } = await sampled(c, 100, () => c.addNode())
    expect(samples.length).toBeGreaterThan(0)
    expect(samples[0].move).toMatchObject({
      kind: 'add-node',
      label: `add ${id}`,
      to: [id],
      phase: 'copying',
    })
    const added = c.getMoves().recent[0]
    const map = c.getPartitionMap()
    const taken = keys.filter((k) => map.partitions[c.getPartitionId(k)].node === id).length
    expect(taken).toBeGreaterThan(0)
    expect(added).toMatchObject({
      kind: 'add-node',
      phase: 'done',
      to: [id],
      keysTotal: taken,
      keysDone: taken,
    })
    await c.shutdown()

    const r = await createSimCluster({ ...RANGE, numNodes: 3 })
    for (const k of keys) await r.put(0, k, 'v')
    const split = await r.splitPartition(0, 'k30')
    const last = r.getMoves().recent[0]
    expect(last).toMatchObject({
      kind: 'split',
      label: 'split partition 0 at "k30"',
      phase: 'done',
      keysDone: 30,
    })
    expect(last.partitions.map((p) => p.id)).toEqual([split.right])
    expect(last.partitions[0]).toMatchObject({ start: 'k30', end: 'm' })
    await r.shutdown()
  })

  it('a hash split is a move: the split-off partition, its old owner, the rows that moved', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 71,
      replicationFactor: 1,
      partitionStrategy: 'hash',
      numPartitions: 6,
      antiEntropyIntervalMs: 0,
    })
    const keys = Array.from({ length: 120 }, (_, i) => `key-${i}`)
    for (const k of keys) await c.put(0, k, 'v')
    const oldOwner = c.getPartitionMap().partitions[0].node
    const out = await c.splitPartition(0)
    const moved = keys.filter((k) => c.getPartitionId(k) === out.right)
    const newOwner = c.getPartitionMap().partitions[out.right].node
    expect(c.getMoves().recent[0]).toMatchObject({
      kind: 'split',
      label: 'split hash partition 0',
      phase: 'done',
      from: [oldOwner],
      to: [newOwner],
      keysTotal: moved.length,
      keysDone: moved.length,
    })
    expect(c.getMoves().recent[0].partitions.map((p) => p.id)).toEqual([out.right])
    await c.shutdown()
  })

  it('back-to-back moves: the catch-up (the ledger first attempt) completes in each, monotonic, and every key reads', async () => {
    const c = await createSimCluster({ ...RANGE, numNodes: 3, maxTransferRate: 6000 })
    const keys = Array.from({ length: 60 }, (_, i) => `b${String(i).padStart(2, '0')}`)
    for (const k of keys) await c.put(0, k, 'x'.repeat(80))
    const { samples } = await sampled(c, 100, async () => {
      await c.transferPartition(0, 1, 0)
      // The first move's ledger round is still in its second stream: that node is left out of this pass.
      await c.transferPartition(1, 2, 0)
    })
    const [second, first] = c.getMoves().recent
    for (const m of [first, second]) {
      expect(m.phase).toBe('done')
      expect(m.keysDone).toBe(m.keysTotal)
      expect(m.catchUp!.keysDone).toBe(m.catchUp!.keysTotal)
      expect(m.catchUp!.bytesDone).toBe(m.catchUp!.bytesTotal)
    }
    expect(first.keysTotal).toBe(60)
    // node_0 still holds the rows it gave away: strays, sent to the new owner too (handOff.ts).
    expect(second.keysTotal).toBe(120)
    for (const id of [first.id, second.id]) {
      const seen = samples.filter((x) => x.move.id === id).map((x) => x.move)
      for (let i = 1; i < seen.length; i++) {
        const done = (m: MoveProgress) => m.bytesDone + (m.catchUp?.bytesDone ?? 0)
        expect(done(seen[i])).toBeGreaterThanOrEqual(done(seen[i - 1]))
      }
    }
    await c.settle()
    for (const k of keys) expect(await c.get(2, k)).toBe('x'.repeat(80))
    await c.shutdown()
  })

  it('a failed move is recent with its coded error and the map is unchanged', async () => {
    const c = await createSimCluster({ ...RANGE, numNodes: 3, maxTransferRate: 2000 })
    for (let i = 0; i < 40; i++) await c.put(0, `b${String(i).padStart(2, '0')}`, 'x'.repeat(100))
    const version = c.getPartitionMap().version
    c.sim.schedule(300, () => void c.kill(2))
    await expect(c.transferPartition(0, 2, 0)).rejects.toMatchObject({ code: 'TIMEOUT' })
    const failed = c.getMoves().recent[0]
    expect(failed).toMatchObject({ kind: 'transfer', phase: 'failed', error: { code: 'TIMEOUT' } })
    expect(c.getMoves().active).toEqual([])
    expect(c.getPartitionMap().version).toBe(version)
    await c.shutdown()
  })
})
