/**
 * LWW-Register (the value with the newest Lamport stamp, ties by node id) and MV-Register (every
 * concurrently set value is kept, as DVV siblings; a set replaces the values its node had seen).
 */
import { type DvvSet, EMPTY_DVV, encodeDvv, mergeDvv, parseDvv, updateDvv } from '../dvv'
import type { StateKind } from '../types'
import { canonical } from './canonical'
import { crdtOp, prepareCrdt } from './ops'

interface LwwRegister {
  v: string | null
  ts: number
  n: string
}

const newer = (a: LwwRegister, b: LwwRegister): boolean => b.ts > a.ts || (b.ts === a.ts && b.n > a.n)

export const lwwregisterKind: StateKind = {
  empty: () => ({ v: null, ts: 0, n: '' }),
  parse: (x) => {
    const r = x as LwwRegister | null
    return r &&
      (r.v === null || typeof r.v === 'string') &&
      typeof r.ts === 'number' &&
      typeof r.n === 'string'
      ? x
      : null
  },
  merge: (a, b) => (newer(a as LwwRegister, b as LwwRegister) ? b : a),
  digest: (s) => `lr:${canonical(s)}`,
  prepare: (key, _v, intent) => prepareCrdt('lwwregister', key, intent),
  apply: (_s, w, self, ts) => ({ v: (crdtOp(w) as { set: string }).set, ts, n: self }),
  view: (_key, s) => ({ kind: 'crdt', type: 'lwwregister', value: (s as LwwRegister).v, state: s }),
}

/** MV-Register siblings are unbounded by siblingsMax in principle; this cap keeps a hot key finite. */
const MV_VALUES_MAX = 64

export const mvregisterKind: StateKind = {
  empty: () => EMPTY_DVV,
  parse: (x) => {
    try {
      return parseDvv(x)
    } catch {
      return null
    }
  },
  encode: (s) => encodeDvv(s as DvvSet),
  merge: (a, b) => mergeDvv(a as DvvSet, b as DvvSet, MV_VALUES_MAX).set,
  digest: (s) => `mv:${canonical(s)}`,
  prepare: (key, _v, intent) => prepareCrdt('mvregister', key, intent),
  apply(s, w, self, ts) {
    const set = s as DvvSet
    // A set replaces every value this node holds (its whole vector is the context).
    return updateDvv(set, set.vv, (crdtOp(w) as { set: string }).set, self, ts, MV_VALUES_MAX).set
  },
  view: (_key, s) => ({
    kind: 'crdt',
    type: 'mvregister',
    value: (s as DvvSet).s.map((x) => x.v),
    state: s,
  }),
}
