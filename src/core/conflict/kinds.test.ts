/** Every mergeable state kind is a join: merge is commutative, associative and idempotent (fast-check). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { gcounterKind, pncounterKind } from './crdt/counters'
import { orsetKind } from './crdt/orset'
import { lwwregisterKind, mvregisterKind } from './crdt/registers'
import type { CrdtOp, PreparedWrite, StateKind } from './types'
import { vectorKind } from './vector'

const NODES = ['node_0', 'node_1', 'node_2']

type Step = { at: number; op: CrdtOp | null; from: number }

/** Three replicas; each step either applies an op at one replica or merges one replica into another. */
function run(kind: StateKind, write: (op: CrdtOp | null) => PreparedWrite, steps: Step[]): unknown[] {
  const reps = NODES.map(() => kind.empty())
  steps.forEach((s, ts) => {
    if (s.op) reps[s.at] = kind.apply(reps[s.at], write(s.op), NODES[s.at], ts + 1, 'k')
    else reps[s.at] = kind.merge(reps[s.at], reps[s.from], 'k')
  })
  return reps
}

const opsFor: Record<string, fc.Arbitrary<CrdtOp>> = {
  gcounter: fc.integer({ min: 1, max: 5 }).map((inc) => ({ inc })),
  pncounter: fc.oneof(
    fc.integer({ min: 1, max: 5 }).map((inc) => ({ inc })),
    fc.integer({ min: 1, max: 5 }).map((dec) => ({ dec })),
  ),
  orset: fc.oneof(
    fc.constantFrom('a', 'b', 'c').map((add) => ({ add })),
    fc.constantFrom('a', 'b', 'c').map((remove) => ({ remove })),
  ),
  register: fc.constantFrom('x', 'y', 'z').map((set) => ({ set })),
}

const kinds: Array<[string, StateKind, fc.Arbitrary<CrdtOp>, (op: CrdtOp | null) => PreparedWrite]> = [
  ['gcounter', gcounterKind, opsFor.gcounter, (op) => ({ kind: 'crdt', op: op! })],
  ['pncounter', pncounterKind, opsFor.pncounter, (op) => ({ kind: 'crdt', op: op! })],
  ['orset', orsetKind, opsFor.orset, (op) => ({ kind: 'crdt', op: op! })],
  ['lwwregister', lwwregisterKind, opsFor.register, (op) => ({ kind: 'crdt', op: op! })],
  ['mvregister', mvregisterKind, opsFor.register, (op) => ({ kind: 'crdt', op: op! })],
  [
    'vector (DVV)',
    vectorKind(16, () => {}),
    opsFor.register,
    (op) => ({ kind: 'vector', context: null, value: (op as { set: string }).set }),
  ],
]

describe.each(kinds)('%s merge', (_name, kind, op, write) => {
  const steps = fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 2 }),
      op: fc.option(op, { freq: 2 }),
      from: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 25 },
  )
  it('is commutative, associative and idempotent, so replicas that exchange everything converge', () => {
    fc.assert(
      fc.property(steps, (s) => {
        const [a, b, c] = run(kind, write, s)
        const d = (x: unknown) => kind.digest(x)
        expect(d(kind.merge(a, b, 'k'))).toBe(d(kind.merge(b, a, 'k')))
        expect(d(kind.merge(kind.merge(a, b, 'k'), c, 'k'))).toBe(
          d(kind.merge(a, kind.merge(b, c, 'k'), 'k')),
        )
        expect(d(kind.merge(a, a, 'k'))).toBe(d(a))
        // The digest of a state survives its round trip through the stored form (and the older
        // plain-JSON form still parses).
        const stored = kind.encode ? kind.encode(a) : JSON.stringify(a)
        expect(d(kind.parse(JSON.parse(stored)))).toBe(d(a))
        expect(d(kind.parse(JSON.parse(JSON.stringify(a))))).toBe(d(a))
        // Values and contexts survive too, not only the clocks the digest hashes.
        expect(kind.parse(JSON.parse(stored))).toEqual(JSON.parse(JSON.stringify(a)))
      }),
      { seed: 14, numRuns: 300 },
    )
  })
})

describe('the compact stored form of a sibling set', () => {
  it('omits the vector when the dots imply it and keeps it when it holds more', async () => {
    const { encodeDvv, parseDvv, updateDvv, EMPTY_DVV } = await import('./dvv')
    const one = updateDvv(EMPTY_DVV, null, 'milk', 'node_0', 7, 16).set
    expect(encodeDvv(one)).toBe('[[["node_0",1,"milk",7]]]')
    expect(parseDvv(JSON.parse(encodeDvv(one)))).toEqual(one)
    // a write with a context that saw node_1's dot keeps node_1 in the vector without its sibling
    const resolved = updateDvv(one, { node_0: 1, node_1: 1 }, 'both', 'node_0', 9, 16).set
    expect(encodeDvv(resolved)).toBe(
      '[[["node_0",2,"both",9,{"node_0":1,"node_1":1}]],{"node_0":2,"node_1":1}]',
    )
    expect(parseDvv(JSON.parse(encodeDvv(resolved)))).toEqual(resolved)
    expect(() => parseDvv([[['node_0', 'x', 'v', 1]]])).toThrow()
    expect(JSON.stringify(one).length - encodeDvv(one).length).toBeGreaterThanOrEqual(30)
  })
})
