/**
 * Catch-up as one unit: a replica down during a commit gets the missed transaction from its record
 * holder when it comes back — all of its rows in one apply, one storage write — so it is never seen
 * holding part of it.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { KeyedRecord } from '../core/storage/engine'

describe('a replica that missed a commit catches up as one unit', () => {
  it('down during the commit, restarted: never observed with part of the transaction; one storage write', async () => {
    const c = await createSimCluster({ numNodes: 3, replicationFactor: 3, seed: 21, txLeaseMs: 4000 })
    const keys = ['acct|a', 'acct|b', 'acct|c']
    for (const k of keys) await c.put(0, k, 'old', { level: 'ALL' })
    const holder = c.getPartitionMap().partitions.find((p) => p.id === c.getPartitionId('acct'))
      ?.replicas[0] as string
    const [coordinator, victim] = ['node_0', 'node_1', 'node_2'].filter((n) => n !== holder)
    await c.kill(victim)
    const tx = await c.beginTransaction(coordinator)
    for (const k of keys) await c.put(coordinator, k, 'new', { txId: tx })
    expect(await c.commitTransaction(tx)).toMatchObject({ committed: true, durable: 'quorum' })
    await c.runFor(3500) // the apply to the dead replica times out; then the coordinator reports its acks
    const rec = (await c.listTransactions()).flatMap((n) => n.records).find((r) => r.txId === tx)
    expect(rec).toMatchObject({ state: 'committed', acked: [coordinator, holder].sort() })

    await c.restart(victim)
    const writes: string[][] = []
    const engine = c.liveNode(victim).engine
    const original = engine.write.bind(engine)
    engine.write = (batch: readonly KeyedRecord[], extra) => {
      const mine = batch.map((r) => r.key).filter((k) => keys.includes(k))
      if (mine.length) writes.push(mine.sort())
      return original(batch, extra)
    }
    const seen = new Set<string>()
    for (let t = 0; t < 3000; t += 5) {
      const rows = new Map((await c.scan(victim, { limit: 100 })).rows.map((r) => [r.key, r.value] as const))
      seen.add(keys.map((k) => rows.get(k)).join(','))
      await c.runFor(5)
    }
    expect([...seen]).toEqual(['old,old,old', 'new,new,new'])
    expect(writes).toEqual([[...keys].sort()])
    const after = (await c.listTransactions()).flatMap((n) => n.records).find((r) => r.txId === tx)
    expect(after).toMatchObject({ done: true, rolledForward: true })
    await c.shutdown()
  })
})
