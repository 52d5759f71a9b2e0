/** Action outcomes: what each recorded call did, reported by the tap whoever called. */
import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../cluster/createCluster'
import { dbError } from '../core/errors'
import { type ActionOutcome, outcomeOf, outcomeTap } from './outcomes'

describe('action outcomes', () => {
  it('reads the call’s shape and its result or error', () => {
    expect(
      outcomeOf('put', [1, 'k', 'v', { level: 'ALL' }], { ok: true, result: { acks: ['a', 'b'] } }),
    ).toEqual({
      action: 'put',
      op: 'put',
      node: 'node_1',
      key: 'k',
      level: 'ALL',
      value: 'v',
      ok: true,
      acks: 2,
    })
    expect(
      outcomeOf('put', ['node_0', 'u', 'c', 'v'], { ok: false, error: dbError('NODE_DOWN', 'x') }),
    ).toMatchObject({
      key: 'u|c',
      value: 'v',
      ok: false,
      errorCode: 'NODE_DOWN',
    })
    expect(
      outcomeOf('read', ['node_2', 'k'], { ok: true, result: { value: 'x', siblings: [{}, {}] } }),
    ).toMatchObject({ op: 'get', node: 'node_2', level: 'default', readValue: 'x', siblings: 2 })
    expect(outcomeOf('get', [0, 'k'], { ok: true, result: null })).toMatchObject({
      op: 'get',
      readValue: null,
    })
    expect(outcomeOf('kill', ['node_1'], { ok: true, result: undefined })).toMatchObject({
      op: null,
      node: 'node_1',
      ok: true,
    })
    expect(outcomeOf('heal', [], { ok: true, result: undefined })).toMatchObject({ op: null, node: '' })
  })

  it('the tap reports every action call on the cluster once it settles, and passes results through', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 3 })
    const seen: ActionOutcome[] = []
    const t = outcomeTap(c, (o) => seen.push(o))
    const w = await t.put(0, 'k', 'v')
    expect(w.acks.length).toBeGreaterThan(0)
    await t.kill('node_2')
    await expect(t.put('node_2', 'k', 'w')).rejects.toMatchObject({ code: 'NODE_DOWN' })
    expect(await t.get(1, 'k')).toBe('v')
    await Promise.resolve()
    expect(seen.map((o) => [o.action, o.ok, o.errorCode ?? ''])).toEqual([
      ['put', true, ''],
      ['kill', true, ''],
      ['put', false, 'NODE_DOWN'],
      ['get', true, ''],
    ])
    expect(seen[3].readValue).toBe('v')
    expect(t.nodes.length).toBe(3) // other members pass through
    await c.shutdown()
  })
})
