import { describe, expect, it } from 'vitest'
import type { NodeId, OpId } from '../ids'
import type { Op } from '../replication/version'
import type { Message, MessageBody } from './messages'
import { TRACE_ITEMS_MAX, traceFields, traceOf } from './messageTrace'

const n0 = 'node_0' as NodeId
const wire = (b: MessageBody): Message => ({ ...b, v: 1, from: n0 }) as Message
const op = (seq: number, key: string, ts: number): Op => ({
  id: `node_0:${seq}` as OpId,
  origin: n0,
  seq,
  key,
  value: 'v',
  tombstone: false,
  version: { ts, node: n0 },
  writtenAtMs: 0,
})
const row = (key: string, ts: number) => ({
  key,
  value: 'v',
  tombstone: false,
  version: { ts, node: n0 },
  writtenAtMs: 0,
})

describe('traceOf', () => {
  it('names the ops, keys and first version of a replicate batch, at most TRACE_ITEMS_MAX', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ op: op(i + 1, `k${i}`, 40 + i) }))
    const t = traceOf(wire({ type: 'replicate', items }))
    expect(t.count).toBe(12)
    expect(t.opIds).toHaveLength(TRACE_ITEMS_MAX)
    expect(t.opIds[0]).toBe('node_0:1')
    expect(t.keys[0]).toBe('k0')
    expect(t.version).toBe('40@node_0')
  })

  it('acks carry op ids only; reads and repairs carry keys and versions', () => {
    expect(traceOf(wire({ type: 'replicate-ack', ids: ['node_0:3' as OpId] }))).toMatchObject({
      opIds: ['node_0:3'],
      keys: [],
    })
    expect(traceOf(wire({ type: 'read-req', reqId: 1, keys: ['a', 'b'] })).keys).toEqual(['a', 'b'])
    expect(traceOf(wire({ type: 'read-resp', reqId: 1, rows: [null, row('b', 7)] }))).toMatchObject({
      keys: ['b'],
      version: '7@node_0',
    })
    expect(traceOf(wire({ type: 'repair', rows: [row('c', 9)] })).version).toBe('9@node_0')
    expect(traceOf(wire({ type: 'forward-write', reqId: 1, key: 'k', value: 'v' })).keys).toEqual(['k'])
  })

  it('transaction messages carry their keys (an apply its rows, a prepare its items)', () => {
    const apply = traceOf(
      wire({ type: 'tx', reqId: 1, body: { kind: 'apply', txId: 't', rows: [row('a', 7), row('b', 7)] } }),
    )
    expect(apply).toMatchObject({ keys: ['a', 'b'], count: 2 })
    expect(apply.version).toBeDefined()
    const prep = traceOf(
      wire({
        type: 'tx',
        reqId: 2,
        body: { kind: 'prepare', txId: 't', items: [{ key: 'x', mode: 'X' }] },
      }),
    )
    expect(prep).toMatchObject({ keys: ['x'], count: 1 })
    expect(
      traceOf(wire({ type: 'tx', reqId: 3, body: { kind: 'lock', txId: 't', key: 'k', mode: 'X' } })).keys,
    ).toEqual(['k'])
    expect(traceOf(wire({ type: 'tx', reqId: 4, body: { kind: 'release', txId: 't' } })).count).toBe(0)
    expect(traceOf(wire({ type: 'tx-resp', reqId: 5, body: { row: row('k', 3) } })).keys).toEqual(['k'])
  })

  it('control messages carry nothing', () => {
    expect(traceOf(wire({ type: 'ping', seq: 1 }))).toEqual({ opIds: [], keys: [], count: 0 })
    expect(traceOf(wire({ type: 'repair-ack', applied: 1 })).opIds).toEqual([])
  })

  it('traceFields leaves empty lists and a missing clock out', () => {
    expect(traceFields(wire({ type: 'ping', seq: 1 }), 5, undefined)).toEqual({ sentT: 5 })
    expect(traceFields(wire({ type: 'replicate', items: [{ op: op(1, 'k', 3) }] }), 5, 12)).toEqual({
      sentT: 5,
      lamport: 12,
      opIds: ['node_0:1'],
      keys: ['k'],
      version: '3@node_0',
    })
  })
})
