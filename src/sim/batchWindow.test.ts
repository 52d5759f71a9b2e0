import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { NodeSnapshotCore } from '../core/node/inspect'
import { ownerWrite } from '../core/node/ownerRouting'

type Batching = NonNullable<NodeSnapshotCore['batching']>

/**
 * 5 nodes, N = 3: `ops` client writes (token-aware: at an owner) spread evenly over virtual time at
 * `ratePerSec`, each from its own client (nobody waits for the previous op).
 */
async function run(seed: number, batchWindowMsMax: number, ratePerSec: number, ops = 1000) {
  const c = await createSimCluster({
    numNodes: 5,
    replicationFactor: 3,
    seed,
    antiEntropyIntervalMs: 0,
    batchWindowMsMax,
  })
  const nodes = [0, 1, 2, 3, 4].map((i) => c.liveNode(i))
  let errors = 0
  const pending: Promise<unknown>[] = []
  const batching = async (): Promise<Batching[]> =>
    Promise.all(nodes.map(async (n) => (await c.inspect(n.id)).batching as Batching))
  const gapMs = 1000 / ratePerSec
  for (let i = 0; i < ops; i++) {
    const n = nodes[i % nodes.length]
    pending.push(ownerWrite(n, `k${(i * 7919) % 997}`, `v${i}`).catch(() => errors++))
    await c.runFor(gapMs)
  }
  const underLoad = await batching()
  await c.settle()
  await Promise.all(pending)
  await c.runFor(2000)
  const idle = await batching()
  const sum = (k: keyof Batching): number => idle.reduce((s, b) => s + b[k], 0)
  const out = {
    underLoad,
    idle,
    errors,
    commitsPerWrite: sum('commits') / sum('writes'),
    messagesPerItem: sum('replicateMessages') / sum('replicateItems'),
  }
  await c.shutdown()
  return out
}

describe('adaptive batching windows in the simulator', () => {
  it('open under load (fewer commits per write, fewer messages per replicated op) and close when idle', async () => {
    for (const seed of [1, 2, 3]) {
      const on = await run(seed, 4, 5000)
      const off = await run(seed, 0, 5000)
      const msg = `seed ${seed}: on ${JSON.stringify({ c: on.commitsPerWrite, m: on.messagesPerItem })} off ${JSON.stringify({ c: off.commitsPerWrite, m: off.messagesPerItem })}`
      if (process.env.SHOW_FIGURES) console.log(msg)
      expect(on.errors, msg).toBe(0)
      expect(off.errors, msg).toBe(0)
      expect(
        on.underLoad.some((b) => b.commitWindowMs > 0 || b.sendWindowMs > 0),
        msg,
      ).toBe(true)
      expect(off.underLoad.every((b) => b.commitWindowMs === 0 && b.sendWindowMs === 0)).toBe(true)
      expect(
        on.idle.every((b) => b.commitWindowMs === 0 && b.sendWindowMs === 0),
        msg,
      ).toBe(true)
      expect(on.commitsPerWrite, msg).toBeLessThan(off.commitsPerWrite * 0.6)
      expect(on.messagesPerItem, msg).toBeLessThan(off.messagesPerItem * 0.6)
    }
  })

  it('one op at a time never waits a window', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1, antiEntropyIntervalMs: 0, batchWindowMsMax: 4 })
    const n = c.liveNode(0)
    for (let i = 0; i < 200; i++) await c.put(0, `k${i}`, 'v')
    const b = (await c.inspect(n.id)).batching as Batching
    // the first wasted waits close the window, each cool-off longer: only a few ops ever wait
    expect(b.commitWindowMs).toBe(0)
    await c.shutdown()
  })
})
