/** Transactions: bad input gets coded errors and changes nothing; dead coordinators and lock owners. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'

async function cluster(extra: Partial<ClusterOptions> = {}) {
  return createSimCluster({ numNodes: 3, replicationFactor: 3, seed: 11, ...extra })
}

/** The node holding `txId`'s lock on `key` (listTransactions). */
async function lockHolder(c: Awaited<ReturnType<typeof cluster>>, txId: string, key: string) {
  for (const n of await c.listTransactions())
    if (n.locks.some((l) => l.txId === txId && l.key === key)) return n.node
  return null
}

describe('transactions: bad input', () => {
  it('an unknown txId → TX_UNKNOWN', async () => {
    const c = await cluster()
    for (const bad of ['nope', 'node_0:999', 'node_9:1'])
      await expect(c.commitTransaction(bad)).rejects.toMatchObject({ code: 'TX_UNKNOWN' })
    await expect(c.put(0, 'k', 'v', { txId: 'node_1:5' })).rejects.toMatchObject({ code: 'TX_UNKNOWN' })
    await expect(c.getForUpdate(42 as unknown as string, 'k')).rejects.toMatchObject({ code: 'TX_UNKNOWN' })
    expect(await c.get(0, 'k')).toBeNull()
    await c.shutdown()
  })

  it('a finished txId → TX_FINISHED, and nothing of the late op is stored', async () => {
    const c = await cluster()
    const tx = await c.beginTransaction(0)
    await c.put(0, 'a', '1', { txId: tx })
    await c.commitTransaction(tx)
    await expect(c.commitTransaction(tx)).rejects.toMatchObject({ code: 'TX_FINISHED' })
    await expect(c.put(0, 'a', '2', { txId: tx })).rejects.toMatchObject({ code: 'TX_FINISHED' })
    const gone = await c.beginTransaction(1)
    await c.abortTransaction(gone)
    await expect(c.abortTransaction(gone)).rejects.toMatchObject({ code: 'TX_FINISHED' })
    expect(await c.get(2, 'a')).toBe('1')
    await c.shutdown()
  })

  it('a getForUpdate on a key locked past lockTimeoutMs → LOCK_TIMEOUT; the tx is failed (TX_FAILED) until aborted', async () => {
    const c = await cluster({ lockTimeoutMs: 300 })
    await c.put(0, 'k', 'before')
    const holder = await c.beginTransaction(0)
    await c.getForUpdate(holder, 'k')
    const waiter = await c.beginTransaction(1)
    const t0 = c.time.nowMs
    const err = await c.getForUpdate(waiter, 'k').catch((e) => e)
    expect(err).toMatchObject({ code: 'LOCK_TIMEOUT', details: { key: 'k', lockTimeoutMs: 300 } })
    expect(c.time.nowMs - t0).toBeGreaterThanOrEqual(300)
    await expect(c.put(1, 'k', 'x', { txId: waiter })).rejects.toMatchObject({ code: 'TX_FAILED' })
    await expect(c.commitTransaction(waiter)).rejects.toMatchObject({ code: 'TX_FAILED' })
    const listed = (await c.listTransactions()).flatMap((n) => n.transactions)
    expect(listed.find((t) => t.txId === waiter)).toMatchObject({
      state: 'failed',
      failure: { code: 'LOCK_TIMEOUT' },
    })
    await c.abortTransaction(waiter)
    await c.abortTransaction(holder)
    expect(await c.get(2, 'k')).toBe('before')
    await c.settle()
    expect((await c.listTransactions()).flatMap((n) => [...n.locks, ...n.transactions])).toEqual([])
    await c.shutdown()
  })

  it('a transaction left open for two leases is aborted and forgotten (TX_FINISHED), its locks gone', async () => {
    const c = await cluster({ txLeaseMs: 500 })
    const idle = await c.beginTransaction(0)
    await c.getForUpdate(idle, 'k')
    await c.runFor(1200)
    await c.beginTransaction(0) // begin sweeps abandoned transactions
    await expect(c.put(0, 'k', 'v', { txId: idle })).rejects.toMatchObject({ code: 'TX_FINISHED' })
    expect((await c.listTransactions()).flatMap((n) => [...n.locks, ...n.transactions]).length).toBe(1)
    await c.shutdown()
  })

  it('increment of a non-integer → BAD_INPUT, value unchanged; bad amounts and keys refused', async () => {
    const c = await cluster()
    await c.put(0, 'name', 'alice')
    await expect(c.increment(0, 'name', 1)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.increment(0, 'n', 1.5)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(c.transfer(0, 'a', 'a', 1)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    const tx = await c.beginTransaction(0)
    await expect(c.put(0, '', 'v', { txId: tx })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(await c.get(1, 'name')).toBe('alice')
    expect((await c.listTransactions()).flatMap((n) => n.locks)).toEqual([])
    await c.shutdown()
  })

  it('bad options → BAD_CONFIG; a merging conflict mode refuses transactions (BAD_INPUT)', async () => {
    await expect(cluster({ isolation: 'bogus' as never })).rejects.toMatchObject({ code: 'BAD_CONFIG' })
    await expect(cluster({ txLockStrategy: '3pl' as never })).rejects.toMatchObject({ code: 'BAD_CONFIG' })
    await expect(cluster({ lockTimeoutMs: 0 })).rejects.toMatchObject({ code: 'BAD_CONFIG' })
    const c = await cluster({ consistencyMode: 'vector' })
    await expect(c.beginTransaction(0)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await c.shutdown()
  })
})

describe('transactions: a node dies mid-transaction', () => {
  it('the coordinator dies holding a lock: its lease expires, another transaction gets the lock, nothing of it applied', async () => {
    const c = await cluster({ txLeaseMs: 2000, lockTimeoutMs: 5000 })
    const t1 = await c.beginTransaction(0)
    // A key whose lock owner is not node_0, so the lock outlives its coordinator.
    let key = ''
    for (let i = 0; !key; i++) {
      await c.put(0, `k${i}`, '0')
      await c.getForUpdate(t1, `k${i}`)
      if ((await lockHolder(c, t1, `k${i}`)) !== 'node_0') key = `k${i}`
    }
    await c.put(0, key, 'dirty', { txId: t1 })
    await c.kill(0)
    const t2 = await c.beginTransaction(1)
    const t0 = c.time.nowMs
    expect(await c.getForUpdate(t2, key)).toBe('0') // waited for the lease, then no dirty value
    expect(c.time.nowMs - t0).toBeGreaterThan(500)
    await c.put(1, key, '1', { txId: t2 })
    await c.commitTransaction(t2)
    expect(await c.get(2, key)).toBe('1')
    await c.shutdown()
  })

  it('the lock owner dies before commit: the commit fails, the transaction aborts, nothing half-applied', async () => {
    const c = await cluster()
    await c.put(0, 'a', '0')
    await c.put(0, 'b', '0')
    const tx = await c.beginTransaction(0)
    await c.getForUpdate(tx, 'a')
    await c.getForUpdate(tx, 'b')
    const owners = [await lockHolder(c, tx, 'a'), await lockHolder(c, tx, 'b')]
    const victim = owners.find((o) => o !== 'node_0')
    expect(victim).toBeDefined()
    await c.put(0, 'a', '1', { txId: tx })
    await c.put(0, 'b', '1', { txId: tx })
    await c.kill(victim as string)
    await expect(c.commitTransaction(tx)).rejects.toMatchObject({
      code: expect.stringMatching(/TIMEOUT|NODE_DOWN/),
    })
    await expect(c.commitTransaction(tx)).rejects.toMatchObject({ code: 'TX_FAILED' })
    const live = [0, 1, 2].map((i) => `node_${i}`).filter((n) => n !== victim)
    for (const n of live) expect([await c.get(n, 'a'), await c.get(n, 'b')]).toEqual(['0', '0'])
    await c.shutdown()
  })
})

describe('transactions: the lock owner is fixed', () => {
  it('a coordinator that takes the lock owner for down does not lock at another node: no split brain, no lost update', async () => {
    const c = await cluster({ lockTimeoutMs: 400 })
    await c.put(0, 'ctr', '0')
    const first = c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId('ctr'))?.replicas[0]
    const [cutOff, other] = ['node_0', 'node_1', 'node_2'].filter((n) => n !== first)
    // cutOff and the lock owner cannot talk: cutOff's failure detector calls it down, the rest see it up.
    c.setLink(cutOff, first as string, { cut: true })
    c.setLink(first as string, cutOff, { cut: true })
    await c.runFor(3000)
    const results = await Promise.allSettled([
      c.increment(cutOff, 'ctr', 1),
      c.increment(other, 'ctr', 1),
      c.increment(other, 'ctr', 1),
    ])
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'NODE_DOWN' } })
    expect(results.slice(1).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
    c.heal()
    expect(await c.get(other, 'ctr', { level: 'QUORUM' })).toBe('2')
    await c.shutdown()
  })
})
