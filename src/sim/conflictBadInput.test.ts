/** Bad input to the conflict modes: each is a coded error, and nothing stored changes. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import type { DbErrorData } from '../core/errors'

async function codeOf(p: Promise<unknown>): Promise<{ code: string; reason?: unknown }> {
  try {
    await p
  } catch (e) {
    const d = e as DbErrorData
    return { code: d.code, reason: d.details?.reason }
  }
  throw new Error('expected a coded error')
}

describe('conflict modes: bad input', () => {
  it('applyCrdt on a key not in crdtConfig, and a wrong op for the key, are BAD_INPUT; nothing changes', async () => {
    const c = await createSimCluster({
      numNodes: 3,
      seed: 1,
      consistencyMode: 'crdt',
      crdtConfig: { n: 'gcounter', s: 'orset' },
    })
    await c.applyCrdt(0, 'n', { inc: 2 })
    expect(await codeOf(c.applyCrdt(0, 'plain', { inc: 1 }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'not-a-crdt-key',
    })
    expect(await codeOf(c.applyCrdt(0, 'n', { dec: 1 }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'wrong-crdt-op',
    })
    expect(await codeOf(c.applyCrdt(0, 'n', { inc: -3 }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'wrong-crdt-op',
    })
    expect(await codeOf(c.applyCrdt(0, 's', { inc: 1 }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'wrong-crdt-op',
    })
    expect(await codeOf(c.put(0, 'n', '7'))).toEqual({ code: 'BAD_INPUT', reason: 'put-on-crdt-key' })
    expect(await codeOf(c.applyCrdt(0, 'n', null as never))).toEqual({ code: 'BAD_INPUT', reason: undefined })
    await c.settle()
    for (const i of [0, 1, 2]) expect((await c.read(i, 'n', { level: 'ONE' })).crdt?.value).toBe(2)
    expect((await c.read(0, 'plain')).value).toBeNull()
    expect(((await c.inspect(0)).stats as { applied: number }).applied).toBe(1)
  })

  it('an unknown CRDT type in crdtConfig and siblingsMax < 1 are BAD_CONFIG', async () => {
    expect(
      await codeOf(
        createSimCluster({ numNodes: 3, consistencyMode: 'crdt', crdtConfig: { n: 'counter' as never } }),
      ),
    ).toMatchObject({
      code: 'BAD_CONFIG',
    })
    expect(
      await codeOf(createSimCluster({ numNodes: 3, consistencyMode: 'vector', siblingsMax: 0 })),
    ).toMatchObject({
      code: 'BAD_CONFIG',
    })
    expect(await codeOf(createSimCluster({ numNodes: 3, consistencyMode: 'causal' as never }))).toMatchObject(
      {
        code: 'BAD_CONFIG',
      },
    )
  })

  it('a malformed or foreign context, and a context in lww mode, are BAD_INPUT; nothing changes', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 2, consistencyMode: 'vector' })
    await c.put(0, 'a', 'x')
    await c.put(0, 'b', 'y')
    const ctxB = (await c.read(0, 'b')).context!
    expect(await codeOf(c.put(0, 'a', 'z', { context: 'garbage' }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'context-malformed',
    })
    expect(await codeOf(c.put(0, 'a', 'z', { context: `${ctxB.slice(0, -1)}x` }))).toMatchObject({
      code: 'BAD_INPUT',
    })
    expect(await codeOf(c.put(0, 'a', 'z', { context: ctxB }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'context-foreign',
    })
    expect(await codeOf(c.delete(0, 'a', { context: 42 as never }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'context-malformed',
    })
    expect(await codeOf(c.applyCrdt(0, 'a', { inc: 1 }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'not-a-crdt-key',
    })
    await c.settle()
    const a = await c.read(1, 'a', { level: 'ALL' })
    expect(a.siblings.map((s) => s.value)).toEqual(['x'])

    const l = await createSimCluster({ numNodes: 3, seed: 3 })
    await l.put(0, 'a', 'x')
    expect(await codeOf(l.put(0, 'a', 'z', { context: ctxB }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'context-in-lww',
    })
    expect(await codeOf(l.applyCrdt(0, 'a', { inc: 1 }))).toEqual({
      code: 'BAD_INPUT',
      reason: 'not-a-crdt-key',
    })
    expect(await l.get(1, 'a')).toBe('x')
  })
})
