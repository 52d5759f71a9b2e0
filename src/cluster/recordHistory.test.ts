import { describe, expect, it } from 'vitest'
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
})
