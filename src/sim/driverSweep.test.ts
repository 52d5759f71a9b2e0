import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { createDriver } from '../cluster/driver'
import { seededRandom } from '../core/random'

const SEEDS = Number(process.env.SWEEP_SEEDS ?? 20)

describe('driver sessions under kills (seeded sweep)', () => {
  // QUORUM writes (with ONE and Lamport clocks LWW may drop a write: a documented limit, not the
  // driver's); R=1 reads, where the session logic does the work.
  it('every user reads its own last acknowledged write, and never an older value than it saw', async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const c = await createSimCluster({
        numNodes: 5,
        replicationFactor: 3,
        seed,
        sloppyQuorum: false,
        antiEntropyIntervalMs: 0,
      })
      const rnd = seededRandom(seed)
      const d = createDriver(c, { loadBalanceReads: true, readYourWritesTimeoutMs: 60_000 })
      const last = new Map<string, number>()
      let down: string | null = null
      for (let step = 0; step < 120; step++) {
        const user = `u${Math.floor(rnd.next() * 4)}`
        const key = `${user}-k${Math.floor(rnd.next() * 3)}`
        const r = rnd.next()
        if (r < 0.08) {
          if (down) await c.restart(down)
          down = c.nodes[Math.floor(rnd.next() * c.nodes.length)].id
          await c.kill(down)
        } else if (r < 0.5) {
          const n = (last.get(key) ?? 0) + 1
          try {
            await d.put(user, key, String(n))
            last.set(key, n)
          } catch {
            // not acknowledged: the session keeps its previous version
          }
        } else if (last.has(key)) {
          let got: string | null
          try {
            got = await d.get(user, key, { level: 'ONE' })
          } catch {
            continue
          }
          expect(Number(got), `seed ${seed} step ${step}: ${user} read ${key}`).toBeGreaterThanOrEqual(
            last.get(key)!,
          )
        }
      }
      await c.shutdown()
    }
  })
})
