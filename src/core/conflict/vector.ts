/** The `vector` mode's state kind: every key is a DVV sibling set (dvv.ts). */
import { dbError } from '../errors'
import { actorNode } from './actor'
import {
  type DvvSet,
  decodeContext,
  dvvDigest,
  EMPTY_DVV,
  encodeContext,
  encodeDvv,
  mergeDvv,
  parseDvv,
  siblingVector,
  updateDvv,
} from './dvv'
import type { StateKind } from './types'

/** Called when siblings past `siblingsMax` were merged away on `key`. */
export type TrimHook = (key: string, trimmed: number) => void

export function vectorKind(siblingsMax: number, onTrim: TrimHook): StateKind {
  return {
    empty: () => EMPTY_DVV,
    parse: (x) => {
      try {
        return parseDvv(x)
      } catch {
        return null
      }
    },
    encode: (s) => encodeDvv(s as DvvSet),
    merge(a, b, key) {
      const r = mergeDvv(a as DvvSet, b as DvvSet, siblingsMax)
      if (r.trimmed > 0) onTrim(key, r.trimmed)
      return r.set
    },
    digest: (s) => dvvDigest(s as DvvSet),
    prepare(key, value, intent) {
      if (intent?.crdt !== undefined)
        throw dbError('BAD_INPUT', `applyCrdt needs a 'crdt' cluster; this one is 'vector'`, {
          reason: 'not-a-crdt-key',
        })
      const context = intent?.context === undefined ? null : decodeContext(key, intent.context)
      return { kind: 'vector', context, value }
    },
    apply(s, w, self, ts, key) {
      if (w.kind !== 'vector') throw new Error('a vector key takes vector writes')
      const r = updateDvv(s as DvvSet, w.context, w.value, self, ts, siblingsMax)
      if (r.trimmed > 0) onTrim(key, r.trimmed)
      return r.set
    },
    view(key, s) {
      const set = s as DvvSet
      return {
        kind: 'vector',
        siblings: set.s.map((x) => ({ value: x.v, ts: x.t, vector: siblingVector(x), node: actorNode(x.n) })),
        context: encodeContext(key, set.vv),
      }
    },
  }
}
