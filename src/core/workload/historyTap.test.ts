import { describe, expect, it } from 'vitest'
import { dbError } from '../errors'
import { HistoryTap, historySampleEvery, keySampled, type TapResults, tagValue } from './historyTap'

const results: TapResults = {
  write: (r) => ({ version: (r as { version: { ts: number; node: string } }).version }),
  read: (r) => ({ value: (r as { value: string | null }).value }),
}

function tap(sampleEvery = 1, recordsMax?: number) {
  let t = 100
  const h = new HistoryTap({ tag: 'n1.x', sampleEvery, nowMs: () => t, results, recordsMax })
  return { h, tick: (ms: number) => (t += ms) }
}

describe('HistoryTap (the node-side workload as checker history)', () => {
  it('records invoke and completion in one record when both fall in one take, with a late end', async () => {
    const { h, tick } = tap()
    const puts: string[] = []
    const c = h.client(
      {
        put: async (_k, v) => {
          puts.push(v)
          return { version: { ts: 5, node: 'node_1' } }
        },
        read: async () => ({ value: 'abc' }),
      },
      () => 'node_1',
    )
    const p = c.put('k1', `00000001${'x'.repeat(24)}`, 'ONE')
    tick(3)
    await p
    await c.read('k1')
    const b = h.take()!
    expect(b.records).toHaveLength(2)
    const [w, r] = b.records
    expect(w).toMatchObject({
      f: 'write',
      key: 'k1',
      node: 'node_1',
      level: 'ONE',
      startMs: 100,
      outcome: 'ok',
    })
    // Completion stamped 1 ms late: the clocks of two threads agree to 1 ms only.
    expect(w.endMs).toBe(104)
    expect(w.version).toEqual({ ts: 5, node: 'node_1' })
    // The written value carries the generator's tag, at the same length.
    expect(puts[0]).toHaveLength(32)
    expect(puts[0]).toContain('~n1.x~')
    expect(w.value).toBe(puts[0])
    expect(r).toMatchObject({ f: 'read', value: 'abc', outcome: 'ok' })
    expect(h.take()).toBeNull()
  })

  it('an op in flight at a take: its invoke now, its completion in the next take', async () => {
    const { h } = tap()
    let done!: (v: unknown) => void
    const c = h.client({ put: () => new Promise((r) => (done = r)), read: async () => null }, () => 'node_0')
    const p = c.put('k', 'v')
    const first = h.take()!
    expect(first.records[0].startMs).toBeDefined()
    expect(first.records[0].outcome).toBeUndefined()
    done({ version: { ts: 1, node: 'node_0' } })
    await p
    const second = h.take()!
    expect(second.records).toHaveLength(1)
    expect(second.records[0]).toMatchObject({ id: first.records[0].id, f: 'write', key: 'k', outcome: 'ok' })
    expect(second.records[0].startMs).toBeUndefined()
  })

  it('a failed read fails; a write that errs is indeterminate unless refused on input', async () => {
    const { h } = tap()
    const c = h.client(
      {
        put: async (k) => {
          throw dbError(k === 'bad' ? 'BAD_INPUT' : 'QUORUM_NOT_MET', 'no')
        },
        read: async () => {
          throw dbError('QUORUM_NOT_MET', 'no')
        },
      },
      () => 'node_0',
    )
    await c.put('k', 'v').catch(() => {})
    await c.put('bad', 'v').catch(() => {})
    await c.read('k').catch(() => {})
    const out = h.take()!.records.map((r) => [r.f, r.outcome, r.errorCode])
    expect(out).toEqual([
      ['write', 'info', 'QUORUM_NOT_MET'],
      ['write', 'fail', 'BAD_INPUT'],
      ['read', 'fail', 'QUORUM_NOT_MET'],
    ])
  })

  it('samples by key (a key is whole or absent), bounded, and says what it left out', async () => {
    const { h } = tap(4, 10)
    const c = h.client(
      { put: async () => ({ version: { ts: 1, node: 'n' } }), read: async () => null },
      () => 'n',
    )
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`)
    for (const k of keys) await c.put(k, 'v')
    const b = h.take()!
    const kept = b.records.map((r) => r.key)
    expect(kept.every((k) => keySampled(k, 4))).toBe(true)
    const sampled = keys.filter((k) => keySampled(k, 4)).length
    expect(sampled).toBeGreaterThan(0)
    expect(b.skipped).toBe(40 - sampled)
    expect(b.records.length + b.dropped).toBe(sampled)
    expect(b.sampleEvery).toBe(4)
  })

  it('a restart tags later values anew (every generator counts from 1)', async () => {
    const { h } = tap()
    const puts: string[] = []
    const c = h.client(
      {
        put: async (_k, v) => {
          puts.push(v)
          return {}
        },
        read: async () => null,
      },
      () => 'n',
    )
    await c.put('k', `00000001${'x'.repeat(30)}`)
    h.restart(1)
    await c.put('k', `00000001${'x'.repeat(30)}`)
    expect(puts[0]).not.toBe(puts[1])
  })

  it("keeps a token-aware client's key filter (else every node would issue every key)", () => {
    const { h } = tap()
    const inner = { put: async () => ({}), read: async () => ({}), owns: (k: string) => k === 'mine' }
    const c = h.client(inner, () => 'node_0')
    expect(c.owns?.('mine')).toBe(true)
    expect(c.owns?.('theirs')).toBe(false)
    expect(h.client({ put: inner.put, read: inner.read }, () => 'node_0').owns).toBeUndefined()
  })

  it('sampling rate and value tags', () => {
    expect(historySampleEvery(20)).toBe(1)
    expect(historySampleEvery(400)).toBe(1)
    expect(historySampleEvery(5000)).toBe(13)
    expect(tagValue('00000001', '~t~')).toBe('00000001~t~')
    expect(tagValue('00000001xxxxxx', '~t~')).toBe('00000001~t~xxx')
  })
})
