/**
 * G-Counter (one entry per node, each only grown by its node; merge = entrywise max; value = sum)
 * and PN-Counter (two G-Counters: increments and decrements).
 */
import type { CrdtType, StateKind } from '../types'
import { countsText, isCounts, maxCounts, sumCounts } from './canonical'
import { crdtOp, prepareCrdt } from './ops'

interface GCounter {
  e: Record<string, number>
}
interface PNCounter {
  p: Record<string, number>
  n: Record<string, number>
}

const bump = (c: Record<string, number>, self: string, by: number) => ({ ...c, [self]: (c[self] ?? 0) + by })

export const gcounterKind: StateKind = {
  empty: () => ({ e: {} }),
  parse: (x) => (isCounts((x as GCounter | null)?.e) ? x : null),
  merge: (a, b) => ({ e: maxCounts((a as GCounter).e, (b as GCounter).e) }),
  digest: (s) => `g:${countsText((s as GCounter).e)}`,
  prepare: (key, _v, intent) => prepareCrdt('gcounter', key, intent),
  apply(s, w, self) {
    const op = crdtOp(w) as { inc: number }
    return { e: bump((s as GCounter).e, self, op.inc) }
  },
  view: (_key, s) => ({
    kind: 'crdt',
    type: 'gcounter' as CrdtType,
    value: sumCounts((s as GCounter).e),
    state: s,
  }),
}

export const pncounterKind: StateKind = {
  empty: () => ({ p: {}, n: {} }),
  parse: (x) => {
    const c = x as PNCounter | null
    return isCounts(c?.p) && isCounts(c?.n) ? x : null
  },
  merge: (a, b) => {
    const x = a as PNCounter
    const y = b as PNCounter
    return { p: maxCounts(x.p, y.p), n: maxCounts(x.n, y.n) }
  },
  digest: (s) => `pn:${countsText((s as PNCounter).p)}|${countsText((s as PNCounter).n)}`,
  prepare: (key, _v, intent) => prepareCrdt('pncounter', key, intent),
  apply(s, w, self) {
    const c = s as PNCounter
    const op = crdtOp(w)
    if ('inc' in op) return { p: bump(c.p, self, op.inc), n: c.n }
    return { p: c.p, n: bump(c.n, self, (op as { dec: number }).dec) }
  },
  view: (_key, s) => {
    const c = s as PNCounter
    return { kind: 'crdt', type: 'pncounter', value: sumCounts(c.p) - sumCounts(c.n), state: s }
  },
}
