/**
 * OR-Set, add-wins, with dots and no tombstones: each add gets a fresh dot (node, counter) and
 * replaces the dots of that element this node had seen; a remove drops the element's dots it has
 * seen. The set's vector covers every dot seen, so a merge drops a dot the other side has seen and
 * no longer holds (it was removed) and keeps one it never saw (a concurrent add wins). Removed
 * elements leave nothing behind but the vector, one counter per node.
 */
import type { StateKind } from '../types'
import { isVersionVector, type VersionVector, vvCovers, vvMax } from '../vv'
import { canonical } from './canonical'
import { crdtOp, prepareCrdt } from './ops'

type Dot = [string, number]
interface ORSet {
  vv: VersionVector
  e: Record<string, Dot[]>
}

const isDots = (x: unknown): boolean =>
  Array.isArray(x) &&
  x.every((d) => Array.isArray(d) && typeof d[0] === 'string' && Number.isSafeInteger(d[1]) && d[1] >= 1)

function mergeDots(a: Dot[], b: Dot[], avv: VersionVector, bvv: VersionVector): Dot[] {
  const inB = new Set(b.map((d) => `${d[0]}:${d[1]}`))
  const inA = new Set(a.map((d) => `${d[0]}:${d[1]}`))
  const out: Dot[] = []
  for (const d of a) if (inB.has(`${d[0]}:${d[1]}`) || !vvCovers(bvv, d[0], d[1])) out.push(d)
  for (const d of b) if (!inA.has(`${d[0]}:${d[1]}`) && !vvCovers(avv, d[0], d[1])) out.push(d)
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1]))
}

/** The elements of a set, sorted. */
export function orsetElements(s: unknown): string[] {
  return Object.keys((s as ORSet).e).sort()
}

export const orsetKind: StateKind = {
  empty: () => ({ vv: {}, e: {} }),
  parse: (x) => {
    const s = x as ORSet | null
    if (!s || !isVersionVector(s.vv) || typeof s.e !== 'object' || s.e === null) return null
    return Object.values(s.e).every(isDots) ? x : null
  },
  merge(a, b) {
    const x = a as ORSet
    const y = b as ORSet
    const e: Record<string, Dot[]> = {}
    for (const el of new Set([...Object.keys(x.e), ...Object.keys(y.e)])) {
      const dots = mergeDots(x.e[el] ?? [], y.e[el] ?? [], x.vv, y.vv)
      if (dots.length > 0) e[el] = dots
    }
    return { vv: vvMax(x.vv, y.vv), e }
  },
  digest: (s) => `or:${canonical(s)}`,
  prepare: (key, _v, intent) => prepareCrdt('orset', key, intent),
  apply(s, w, self) {
    const set = s as ORSet
    const op = crdtOp(w)
    const e = { ...set.e }
    if ('remove' in op) {
      delete e[op.remove]
      return { vv: set.vv, e }
    }
    const c = (set.vv[self] ?? 0) + 1
    e[(op as { add: string }).add] = [[self, c]]
    return { vv: { ...set.vv, [self]: c }, e }
  },
  view: (_key, s) => ({ kind: 'crdt', type: 'orset', value: orsetElements(s), state: s }),
}
