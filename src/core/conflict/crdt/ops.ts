/** Checking a CRDT op against its key's type (BAD_INPUT when it does not fit). */
import { dbError } from '../../errors'
import type { CrdtOp, CrdtType, PreparedWrite, WriteIntent } from '../types'

const OPS: Record<CrdtType, readonly string[]> = {
  gcounter: ['inc'],
  pncounter: ['inc', 'dec'],
  orset: ['add', 'remove'],
  lwwregister: ['set'],
  mvregister: ['set'],
}

/** The op of a CRDT write, checked for `type`; plain puts, deletes and contexts are refused. */
export function prepareCrdt(type: CrdtType, key: string, intent: WriteIntent | undefined): PreparedWrite {
  const k = key.slice(0, 100)
  if (intent?.context !== undefined)
    throw dbError('BAD_INPUT', `a causal context is for 'vector' mode; ${k} is a ${type}`, {
      reason: 'context-in-crdt',
    })
  const op = intent?.crdt as Record<string, unknown> | undefined
  if (op === undefined)
    throw dbError('BAD_INPUT', `${k} is a ${type}: change it with applyCrdt (${OPS[type].join(' or ')})`, {
      reason: 'put-on-crdt-key',
      type,
    })
  const names = typeof op === 'object' && op !== null ? Object.keys(op) : []
  const name = names[0]
  if (names.length !== 1 || !OPS[type].includes(name))
    throw dbError(
      'BAD_INPUT',
      `${k} is a ${type}: its ops are ${OPS[type].map((o) => `{ ${o}: … }`).join(', ')}, got ${JSON.stringify(op)?.slice(0, 80)}`,
      { reason: 'wrong-crdt-op', type, allowed: [...OPS[type]] },
    )
  const arg = op[name]
  const counter = name === 'inc' || name === 'dec'
  if (counter ? !Number.isSafeInteger(arg) || (arg as number) < 1 : typeof arg !== 'string')
    throw dbError(
      'BAD_INPUT',
      `${name} takes ${counter ? 'a positive integer' : 'a string'}, got ${JSON.stringify(arg)?.slice(0, 80)}`,
      { reason: 'wrong-crdt-op', type },
    )
  return { kind: 'crdt', op: op as CrdtOp }
}

/** The op of a prepared CRDT write (callers know it is one). */
export function crdtOp(w: PreparedWrite): CrdtOp {
  if (w.kind !== 'crdt') throw new Error('not a CRDT write')
  return w.op
}
