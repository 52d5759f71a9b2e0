import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { runAntiEntropy } from '../core/antiEntropy/install'
import { pairOperations } from '../core/checker/history'
import { findLostWrites } from '../core/checker/lostWrites'
import { historyOf } from '../core/checker/testHistory'
import type { RowVersion } from '../core/protocol/messages'
import type { SimCluster } from './simCluster'

const GRACE_MS = 1000

/**
 * Node 2 misses a delete that nodes 0 and 1 applied (written straight into their engines, as if
 * the log entry never reached node 2). Returns the cluster and the delete's time.
 */
async function missedDelete(seed: number): Promise<{ c: SimCluster; deletedAtMs: number }> {
  const c = await createSimCluster({
    numNodes: 3,
    seed,
    tombstoneGraceMs: GRACE_MS,
    antiEntropyIntervalMs: 0,
  })
  await c.put(0, 'ghost', 'alive')
  await c.settle()
  const deletedAtMs = c.sim.nowMs
  const tombstone: RowVersion = {
    key: 'ghost',
    value: null,
    tombstone: true,
    version: { ts: 1_000_000, node: c.liveNode(0).id },
    writtenAtMs: deletedAtMs,
  }
  await c.drive(Promise.all([c.liveNode(0).applyRow(tombstone), c.liveNode(1).applyRow(tombstone)]))
  return { c, deletedAtMs }
}

/** Flushes and fully compacts nodes 0 and 1, so expired tombstones are purged. */
async function compactAll(c: SimCluster): Promise<void> {
  for (const i of [0, 1]) {
    const engine = c.liveNode(i).engine
    await c.drive(engine.flush().then(() => engine.compact()))
  }
}

describe('tombstone grace period and zombies (LSM engine)', () => {
  it('repair within the grace period: the delete reaches the replica that missed it, no zombie', async () => {
    const { c } = await missedDelete(5)
    await c.drive(runAntiEntropy(c.liveNode(0)))
    await c.runFor(GRACE_MS * 2)
    await compactAll(c)
    await c.drive(runAntiEntropy(c.liveNode(2)))
    expect(await c.get(0, 'ghost', { level: 'ALL' })).toBeNull()
    await c.shutdown()
  })

  it('repair after the grace period: compaction purged the tombstone and anti-entropy resurrects the value', async () => {
    const { c, deletedAtMs } = await missedDelete(5)
    await c.runFor(GRACE_MS * 2)
    await compactAll(c)
    // The tombstone is gone from storage on 0 and 1; node 2 still holds the old value.
    expect(await c.drive(c.liveNode(0).engine.get('ghost'))).toBeUndefined()
    expect((await c.drive(c.liveNode(2).engine.get('ghost')))?.value).toBe('alive')
    const stats = await c.drive(runAntiEntropy(c.liveNode(2)))
    expect(stats.reduce((s, x) => s + x.keysSent, 0)).toBeGreaterThan(0)
    // The zombie: the deleted value is back on every replica, and the checker calls it a lost delete.
    expect(await c.get(0, 'ghost', { level: 'ALL' })).toBe('alive')
    const history = historyOf([
      [0, 'write', 'ghost', 'alive', 0, 1],
      [1, 'delete', 'ghost', null, deletedAtMs, deletedAtMs + 1],
    ])
    const lost = findLostWrites({ ops: pairOperations(history), finalValues: new Map([['ghost', 'alive']]) })
    expect(lost.map((l) => l.kind)).toEqual(['lost-delete'])
    await c.shutdown()
  })
})
