/**
 * Every client entry point supports the conflict modes: the router (startRouter) and the Driver carry
 * a put's or delete's `context` and `applyCrdt` to the owner, which checks them as Cluster.put does.
 */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { createDriver } from '../cluster/driver'
import type { ReadResult, WriteOptions, WriteResult } from '../cluster/types'
import type { CrdtOp } from '../core/conflict/types'

const values = (r: ReadResult) => r.siblings.map((s) => s.value).sort()

/** The router and the driver behind one shape, so both run the same checks. */
interface Client {
  put(key: string, value: string, opts?: WriteOptions): Promise<WriteResult>
  delete(key: string, opts?: WriteOptions): Promise<WriteResult>
  read(key: string): Promise<ReadResult>
  applyCrdt(key: string, op: CrdtOp): Promise<WriteResult>
}

type Make = (c: Awaited<ReturnType<typeof createSimCluster>>) => Promise<Client>

const entryPoints: Array<[string, Make]> = [
  ['router', async (c) => c.startRouter()],
  [
    'driver',
    async (c) => {
      const d = createDriver(c)
      return {
        put: (k, v, o) => d.put('alice', k, v, o),
        delete: (k, o) => d.delete('alice', k, o),
        read: (k) => d.read(null, k, { level: 'ALL' }),
        applyCrdt: (k, op) => d.applyCrdt('alice', k, op),
      }
    },
  ],
]

for (const [name, make] of entryPoints) {
  describe(`conflict modes through the ${name}`, () => {
    it('vector: writes without a context add siblings; a put with the read’s context leaves one; a delete with it removes it', async () => {
      const c = await createSimCluster({ numNodes: 3, seed: 21, consistencyMode: 'vector' })
      const client = await make(c)
      await client.put('cart', 'milk')
      await client.put('cart', 'eggs')
      const r = await client.read('cart')
      expect(values(r)).toEqual(['eggs', 'milk'])
      expect(typeof r.context).toBe('string')
      await client.put('cart', 'milk+eggs', { context: r.context })
      await c.settle()
      for (const i of [0, 1, 2])
        expect(values(await c.read(i, 'cart', { level: 'ONE' }))).toEqual(['milk+eggs'])
      const r2 = await client.read('cart')
      await client.delete('cart', { context: r2.context })
      await c.settle()
      for (const i of [0, 1, 2]) expect(await c.get(i, 'cart', { level: 'ONE' })).toBeNull()
    })

    it('crdt: applyCrdt increments a counter; bad input is a coded error and changes nothing', async () => {
      const c = await createSimCluster({
        numNodes: 3,
        seed: 22,
        consistencyMode: 'crdt',
        crdtConfig: { likes: 'gcounter' },
      })
      const client = await make(c)
      await client.applyCrdt('likes', { inc: 1 })
      await client.applyCrdt('likes', { inc: 2 })
      await c.settle()
      for (const i of [0, 1, 2]) expect((await c.read(i, 'likes', { level: 'ONE' })).crdt?.value).toBe(3)
      await expect(client.applyCrdt('likes', { dec: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      await expect(client.applyCrdt('other', { inc: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      await expect(client.put('plain', 'v', { context: 'c1:x:' })).rejects.toMatchObject({
        code: 'BAD_INPUT',
      })
      expect((await c.read(0, 'likes', { level: 'ALL' })).crdt?.value).toBe(3)
      expect(await c.get(0, 'other', { level: 'ALL' })).toBeNull()
    })

    it('lww: a context is BAD_INPUT (nothing is written)', async () => {
      const c = await createSimCluster({ numNodes: 3, seed: 23 })
      const client = await make(c)
      await expect(client.put('k', 'v', { context: 'c1:abc:' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      expect(await c.get(0, 'k', { level: 'ALL' })).toBeNull()
    })
  })
}
