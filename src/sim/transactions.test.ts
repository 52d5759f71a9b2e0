/** Transactions in the simulator: the seed's numbers (issue #15), each a test. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { ClusterOptions } from '../cluster/types'

const base: ClusterOptions = { numNodes: 3, replicationFactor: 3, seed: 7 }

async function cluster(extra: Partial<ClusterOptions> = {}) {
  return createSimCluster({ ...base, ...extra })
}

describe('transactions: the seed example', () => {
  it('buffers put/delete until commit, discards them on abort, and no one reads them before', async () => {
    const c = await cluster()
    await c.put(0, 'old', 'x')
    const tx = await c.beginTransaction(0)
    await c.put(0, 'key1', 'v1', { txId: tx })
    await c.delete(0, 'old', { txId: tx })
    expect(await c.get(1, 'key1')).toBeNull() // no dirty read
    expect(await c.get(2, 'old')).toBe('x')
    expect(await c.get(0, 'key1', { txId: tx })).toBe('v1') // read your own writes
    const res = await c.commitTransaction(tx)
    expect(res).toMatchObject({ committed: true, rows: 2 })
    expect(await c.get(1, 'key1')).toBe('v1')
    expect(await c.get(2, 'old')).toBeNull()
    const tx2 = await c.beginTransaction(1)
    await c.put(1, 'temp', '123', { txId: tx2 })
    await c.abortTransaction(tx2)
    expect(await c.get(0, 'temp')).toBeNull()
    await c.shutdown()
  })
})

describe('atomic increment and transfer', () => {
  it('10 concurrent increment(+1) from three nodes → "10"', async () => {
    const c = await cluster()
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.increment(i % 3, 'counter', 1)))
    expect(await c.get(0, 'counter')).toBe('10')
    await c.shutdown()
  })

  it('2 × 100 increments, two clients on two nodes → "200"', async () => {
    const c = await cluster()
    const client = async (ref: number) => {
      for (let i = 0; i < 100; i++) await c.increment(ref, 'hits', 1)
    }
    await Promise.all([client(0), client(1)])
    expect(await c.get(2, 'hits')).toBe('200')
    await c.shutdown()
  })

  it('5 concurrent transfer(1) from 10/0 → 5/5', async () => {
    const c = await cluster()
    await c.put(0, 'acct:a', '10')
    await c.put(0, 'acct:b', '0')
    await Promise.all(Array.from({ length: 5 }, (_, i) => c.transfer(i % 3, 'acct:a', 'acct:b', 1)))
    expect(await c.get(1, 'acct:a')).toBe('5')
    expect(await c.get(1, 'acct:b')).toBe('5')
    await c.shutdown()
  })
})

describe('transfer refuses a negative balance', () => {
  it('transfer 11 from 10 → TX_NEGATIVE_BALANCE, both balances unchanged, no lock left', async () => {
    const c = await cluster()
    await c.put(0, 'acct:a', '10')
    await c.put(0, 'acct:b', '0')
    await expect(c.transfer(1, 'acct:a', 'acct:b', 11)).rejects.toMatchObject({
      code: 'TX_NEGATIVE_BALANCE',
      details: { key: 'acct:a', balance: 10, amount: 11 },
    })
    await expect(c.transfer(1, 'acct:a', 'acct:b', -1)).rejects.toMatchObject({
      code: 'TX_NEGATIVE_BALANCE',
      details: { key: 'acct:b', balance: 0 },
    })
    expect([await c.get(2, 'acct:a'), await c.get(2, 'acct:b')]).toEqual(['10', '0'])
    expect(await c.transfer(1, 'acct:a', 'acct:b', 10)).toEqual(['0', '10']) // down to exactly 0 is fine
    await c.settle()
    expect((await c.listTransactions()).flatMap((n) => [...n.locks, ...n.transactions])).toEqual([])
    await c.shutdown()
  })
})

describe('locks', () => {
  it('getForUpdate read-modify-write × 2 on two nodes → "2"; the second locker waited', async () => {
    const c = await cluster()
    await c.put(0, 'n', '0')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    const v1 = await c.getForUpdate(t1, 'n')
    const second = c.getForUpdate(t2, 'n') // waits for t1's lock
    await c.put(0, 'n', String(Number(v1) + 1), { txId: t1 })
    await c.commitTransaction(t1)
    const v2 = await second
    expect(v2).toBe('1')
    await c.put(1, 'n', String(Number(v2) + 1), { txId: t2 })
    await c.commitTransaction(t2)
    expect(await c.get(2, 'n')).toBe('2')
    await c.shutdown()
  })

  it('the same read-modify-write without the lock loses an update → "1"', async () => {
    const c = await cluster()
    await c.put(0, 'n', '0')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    const v1 = await c.get(0, 'n', { txId: t1 })
    const v2 = await c.get(1, 'n', { txId: t2 })
    await c.put(0, 'n', String(Number(v1) + 1), { txId: t1 })
    await c.put(1, 'n', String(Number(v2) + 1), { txId: t2 })
    await c.commitTransaction(t1)
    await c.commitTransaction(t2)
    expect(await c.get(2, 'n')).toBe('1')
    await c.shutdown()
  })

  /** Two doctors on call; each leaves (deletes its doc) only if both are on call: write skew. */
  async function onCall(c: Awaited<ReturnType<typeof cluster>>): Promise<number> {
    return [await c.get(2, 'doc:1'), await c.get(2, 'doc:2')].filter((v) => v === 'on').length
  }

  it('write skew with getForUpdate → exactly 1 of 2 docs remains (the second locker waited)', async () => {
    const c = await cluster()
    await c.put(0, 'doc:1', 'on')
    await c.put(0, 'doc:2', 'on')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    expect([await c.getForUpdate(t1, 'doc:1'), await c.getForUpdate(t1, 'doc:2')]).toEqual(['on', 'on'])
    const t2First = c.getForUpdate(t2, 'doc:1') // waits for t1
    await c.delete(0, 'doc:1', { txId: t1 })
    await c.commitTransaction(t1)
    const seen = [await t2First, await c.getForUpdate(t2, 'doc:2')]
    expect(seen).toEqual([null, 'on']) // t2 sees t1's commit: it must stay
    await c.commitTransaction(t2)
    expect(await onCall(c)).toBe(1)
    await c.shutdown()
  })

  it('write skew under 2pl: shared read locks block the other writer; wound-wait aborts the younger → 1 remains', async () => {
    const c = await cluster({ txLockStrategy: '2pl', lockTimeoutMs: 500 })
    await c.put(0, 'doc:1', 'on')
    await c.put(0, 'doc:2', 'on')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    for (const t of [t1, t2])
      expect([await c.get(0, 'doc:1', { txId: t }), await c.get(0, 'doc:2', { txId: t })]).toEqual([
        'on',
        'on',
      ])
    const listed = (await c.listTransactions()).flatMap((n) => n.locks)
    expect(listed.filter((l) => l.mode === 'S')).toHaveLength(4)
    // t1 (older) needs X on doc:1, which t2 shares: t2 is wounded at once instead of a 500 ms wait.
    const t0 = c.time.nowMs
    await c.delete(0, 'doc:1', { txId: t1 })
    expect(c.time.nowMs - t0).toBeLessThan(100)
    await expect(c.delete(1, 'doc:2', { txId: t2 })).rejects.toMatchObject({ code: 'TX_FAILED' })
    const failed = (await c.listTransactions()).flatMap((n) => n.transactions).find((t) => t.txId === t2)
    expect(failed).toMatchObject({ state: 'failed', failure: { code: 'TX_DEADLOCK' } })
    await c.commitTransaction(t1)
    await c.abortTransaction(t2)
    expect(await onCall(c)).toBe(1)
    await c.shutdown()
  })

  it('write skew without locks (read-committed) → both leave: 0 remain', async () => {
    const c = await cluster()
    await c.put(0, 'doc:1', 'on')
    await c.put(0, 'doc:2', 'on')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    for (const t of [t1, t2])
      expect([await c.get(0, 'doc:1', { txId: t }), await c.get(0, 'doc:2', { txId: t })]).toEqual([
        'on',
        'on',
      ])
    await c.delete(0, 'doc:1', { txId: t1 })
    await c.delete(1, 'doc:2', { txId: t2 })
    await c.commitTransaction(t1)
    await c.commitTransaction(t2)
    expect(await onCall(c)).toBe(0)
    await c.shutdown()
  })
})

describe('isolation', () => {
  it('snapshot lost update: two read-modify-writes of one counter both abort, counter stays "0"', async () => {
    const c = await cluster({ isolation: 'snapshot' })
    await c.put(0, 'counter', '0')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    const v1 = Number(await c.get(0, 'counter', { txId: t1 }))
    const v2 = Number(await c.get(1, 'counter', { txId: t2 }))
    const outcomes = await Promise.allSettled([
      (async () => {
        await c.put(0, 'counter', String(v1 + 1), { txId: t1 })
        await c.commitTransaction(t1)
      })(),
      (async () => {
        await c.put(1, 'counter', String(v2 + 1), { txId: t2 })
        await c.commitTransaction(t2)
      })(),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    for (const o of outcomes)
      expect((o as PromiseRejectedResult).reason.code).toMatch(/TX_CONFLICT|TX_FAILED/)
    expect(await c.get(2, 'counter')).toBe('0')
    await c.shutdown()
  })

  it('snapshot: first committer wins when the writes do not overlap in time', async () => {
    const c = await cluster({ isolation: 'snapshot' })
    await c.put(0, 'k', '0')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    expect(await c.get(1, 'k', { txId: t2 })).toBe('0')
    await c.put(0, 'k', 'a', { txId: t1 })
    await c.commitTransaction(t1)
    await c.put(1, 'k', 'b', { txId: t2 })
    await expect(c.commitTransaction(t2)).rejects.toMatchObject({ code: 'TX_CONFLICT' })
    expect(await c.get(2, 'k')).toBe('a')
    await c.shutdown()
  })

  /** t1 reads y and writes x = 2; t2 reads x and writes y = 1; t1 commits first. */
  async function readWrite(isolation: 'snapshot' | 'serializable') {
    const c = await cluster({ isolation })
    await c.put(0, 'x', '0')
    await c.put(0, 'y', '0')
    const t1 = await c.beginTransaction(0)
    const t2 = await c.beginTransaction(1)
    await c.get(0, 'y', { txId: t1 })
    await c.get(1, 'x', { txId: t2 })
    await c.put(0, 'x', '2', { txId: t1 })
    await c.put(1, 'y', '1', { txId: t2 })
    await c.commitTransaction(t1)
    const second = await c.commitTransaction(t2).then(
      () => 'committed',
      (e) => e.code as string,
    )
    const out = { second, x: await c.get(2, 'x'), y: await c.get(2, 'y') }
    await c.shutdown()
    return out
  }

  it('SSI read-write conflict: the transaction whose read was overwritten aborts → x "2", y "0"', async () => {
    expect(await readWrite('serializable')).toEqual({ second: 'TX_CONFLICT', x: '2', y: '0' })
  })

  it('the same under snapshot commits both (write skew): x "2", y "1"', async () => {
    expect(await readWrite('snapshot')).toEqual({ second: 'committed', x: '2', y: '1' })
  })
})
