/** Deadlocks across lock owners are avoided by wound-wait on the transactions' begin priority. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'

describe('deadlock avoidance across lock owners (wound-wait)', () => {
  it('t1 locks a then b, t2 locks b then a, on two nodes: the younger aborts at once with TX_DEADLOCK, the older commits', async () => {
    const lockTimeoutMs = 5000
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed: 9, lockTimeoutMs })
    const ownerOf = (k: string) =>
      c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId(k))?.replicas[0]
    // Two keys whose lock owners differ: the wait-for cycle spans two nodes.
    const a = 'a'
    let b = ''
    for (let i = 0; !b; i++) if (ownerOf(`b${i}`) !== ownerOf(a)) b = `b${i}`
    await c.put(0, a, '0')
    await c.put(0, b, '0')
    const t1 = await c.beginTransaction(1) // older
    const t2 = await c.beginTransaction(2)
    expect(await c.getForUpdate(t1, a)).toBe('0')
    expect(await c.getForUpdate(t2, b)).toBe('0')
    const t0 = c.time.nowMs
    const [r1, r2] = await Promise.allSettled([
      c.getForUpdate(t1, b).then(async () => {
        await c.put(1, a, 't1', { txId: t1 })
        await c.put(1, b, 't1', { txId: t1 })
        await c.commitTransaction(t1)
        return c.time.nowMs - t0
      }),
      c.getForUpdate(t2, a),
    ])
    expect(r2).toMatchObject({ status: 'rejected', reason: { code: 'TX_DEADLOCK', details: { other: t1 } } })
    expect(r1.status).toBe('fulfilled')
    expect((r1 as PromiseFulfilledResult<number>).value).toBeLessThan(lockTimeoutMs / 10)
    await expect(c.commitTransaction(t2)).rejects.toMatchObject({ code: 'TX_FAILED' })
    expect([await c.get(0, a), await c.get(0, b)]).toEqual(['t1', 't1'])
    await c.shutdown()
  })

  it('a younger locker waits for an older holder (no abort without a cycle)', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed: 9 })
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    await c.getForUpdate(t1, 'k')
    const second = c.getForUpdate(t2, 'k')
    await c.put(0, 'k', '1', { txId: t1 })
    await c.commitTransaction(t1)
    expect(await second).toBe('1')
    await c.shutdown()
  })
})
