import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { Simulator } from './simulator'

describe("single step (the page's Step button)", () => {
  it('Simulator.stepOne runs one event even when several are due at the same instant', async () => {
    const sim = new Simulator()
    const ran: string[] = []
    sim.schedule(
      5,
      () => ran.push('a'),
      () => ({ text: 'a' }),
    )
    sim.schedule(
      5,
      () => ran.push('b'),
      () => ({ text: 'b' }),
    )
    expect(await sim.stepOne()).toBe(true)
    expect(ran).toEqual(['a'])
    expect(sim.lastRan).toEqual([{ text: 'a' }])
    expect(sim.nowMs).toBe(5)
    expect(await sim.stepOne()).toBe(true)
    expect(ran).toEqual(['a', 'b'])
    expect(await sim.stepOne()).toBe(false)
  })

  it('a step that delivers a message names its link, so the canvas can highlight it', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 3 })
    try {
      const put = c.put(0, 'k', 'v')
      let delivery = null
      for (let i = 0; i < 500 && !delivery; i++) {
        const info = await c.time.step()
        expect(info?.events.length).toBe(1)
        expect(info?.ran).toEqual(info?.events.map((e) => e.text))
        delivery = info?.events.find((e) => e.msg) ?? null
      }
      expect(delivery).toMatchObject({
        from: expect.stringMatching(/^node_\d$/),
        to: expect.stringMatching(/^node_\d$/),
      })
      expect(delivery?.text).toBe(`deliver ${delivery?.msg} ${delivery?.from} → ${delivery?.to}`)
      await put
    } finally {
      await c.shutdown()
    }
  })
})
