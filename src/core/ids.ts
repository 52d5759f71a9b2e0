/** Branded identifiers: one constructor each, so a plain string never passes for an id by accident. */
import { dbError } from './errors'

export type NodeId = string & { readonly __brand: 'NodeId' }
export type OpId = string & { readonly __brand: 'OpId' }

const NODE_ID_RE = /^node_\d+$/

/** `node_<index>`, the seed's naming. */
export function nodeId(index: number): NodeId {
  if (!Number.isInteger(index) || index < 0)
    throw dbError('BAD_INPUT', `node index must be a non-negative integer, got ${index}`)
  return `node_${index}` as NodeId
}

/** Parses an untrusted string as a NodeId (throws a coded error when malformed). */
export function parseNodeId(raw: unknown): NodeId {
  if (typeof raw !== 'string' || !NODE_ID_RE.test(raw))
    throw dbError('BAD_INPUT', `not a node id: ${String(raw)}`)
  return raw as NodeId
}

export function nodeIndex(id: NodeId): number {
  return Number(id.slice(5))
}

/** Op ids are `"<node>:<seq>"`, as in the seed. */
export function opId(origin: NodeId, seq: number): OpId {
  return `${origin}:${seq}` as OpId
}

export function parseOpId(id: OpId): { origin: NodeId; seq: number } {
  const i = id.lastIndexOf(':')
  return { origin: id.slice(0, i) as NodeId, seq: Number(id.slice(i + 1)) }
}

/** Keys are non-empty strings; anything else is bad input. */
export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw dbError('BAD_INPUT', `keys are strings, got ${typeof key}`)
  if (key.length === 0) throw dbError('BAD_INPUT', 'keys must not be empty')
}
