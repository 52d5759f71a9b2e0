import { describe, expect, it } from 'vitest'
import { checkHistory } from '../core/checker/checkHistory'
import type { HistoryOp } from '../core/checker/history'
import { createSimCluster } from './createCluster'
import { recordHistory } from './recordHistory'

describe('recordHistory', () => {
  it('keeps the identity of a shared restart promise (two concurrent restarts share one boot)', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1 })
    const shared = new Map<unknown, Promise<void>>()
    const raw = c.restart.bind(c)
    // The worker runtime dedupes concurrent restarts; stand that in for the simulator's.
    c.restart = (ref) => {
      let p = shared.get(ref)
      if (!p) {
        p = raw(ref)
        shared.set(ref, p)
      }
      return p
    }
    let snapshots = 0
    const rec = recordHistory(c, { ops: () => {}, faults: () => void snapshots++ })
    await c.kill(1)
    const a = c.restart(1)
    const b = c.restart(1)
    expect(a).toBe(b)
    await Promise.all([a, b])
    expect(snapshots).toBeGreaterThan(2)
    rec.stop()
    await c.shutdown()
  })

  it('records the writes of a transaction at its commit, and neither its reads nor counters', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 2 })
    const ops: HistoryOp[] = []
    const rec = recordHistory(c, { ops: (o) => ops.push(...(o as HistoryOp[])), faults: () => {} })
    await c.put(0, 'a', 'old')
    const tx = await c.beginTransaction(1)
    await c.put(1, 'a', 'new', { txId: tx })
    await c.put(1, 'b', 'x', { txId: tx })
    await c.put(1, 'b', 'y', { txId: tx })
    expect(await c.read(1, 'a', { txId: tx })).toMatchObject({ value: 'new' })
    // Buffered, invisible to others: a plain read still sees 'old'; nothing of the transaction yet.
    expect(await c.read(2, 'a')).toMatchObject({ value: 'old' })
    expect(ops.filter((o) => o.value === 'new' || o.value === 'y')).toEqual([])
    await c.commitTransaction(tx)
    const txOps = ops.filter((o) => o.key === 'b' || o.value === 'new')
    expect(txOps.map((o) => `${o.type} ${o.f} ${o.key}=${o.value}`)).toEqual([
      'invoke write a=new',
      'invoke write b=y',
      'ok write a=new',
      'ok write b=y',
    ])
    expect(await c.read(2, 'a')).toMatchObject({ value: 'new' })
    // An aborted transaction's writes never enter the history.
    const gone = await c.beginTransaction(0)
    await c.put(0, 'a', 'never', { txId: gone })
    await c.abortTransaction(gone)
    expect(ops.some((o) => o.value === 'never')).toBe(false)
    // A counter's value is computed inside its transaction: its key is not checked at all.
    await c.increment(0, 'ctr', 5)
    expect(await c.read(1, 'ctr')).toMatchObject({ value: '5' })
    expect(ops.some((o) => o.key === 'ctr')).toBe(false)
    // Recorded the old way (each put as a write when it returned, each read as a read), this history
    // had the transaction's own read of 'new' before any write of it completed.
    expect(checkHistory({ history: ops, linearizability: false }).valid).toBe(true)
    rec.stop()
    await c.shutdown()
  })
})
