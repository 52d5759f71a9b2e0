/**
 * Shape checks for what a node reads back from its own disk (ops in the replication log and in
 * hints). Anything else than what this code wrote is STORAGE_CORRUPT with a message that names the
 * record and the field, never a TypeError deep inside the node later.
 */
import { dbError } from '../errors'
import type { NodeId, OpId } from '../ids'
import type { Op } from './version'

/** Throws STORAGE_CORRUPT `<where>: <what>`. */
export function corrupt(where: string, what: string): never {
  throw dbError('STORAGE_CORRUPT', `${where}: ${what}`, { where })
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A non-negative safe integer (sequence numbers, counters). */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

function isNodeIdString(v: unknown): v is NodeId {
  return typeof v === 'string' && /^node_\d+$/.test(v)
}

/** Checks a persisted op; returns it typed. */
export function checkStoredOp(raw: unknown, where: string): Op {
  if (!isRecord(raw)) corrupt(where, `op is ${describeValue(raw)}, not an object`)
  const op = raw as Partial<Op>
  if (!isNodeIdString(op.origin)) corrupt(where, `op origin ${describeValue(op.origin)} is not a node id`)
  if (!isCount(op.seq) || op.seq === 0)
    corrupt(where, `op seq ${describeValue(op.seq)} is not a positive integer`)
  if (op.id !== (`${op.origin}:${op.seq}` as OpId))
    corrupt(where, `op id ${describeValue(op.id)} does not match`)
  if (typeof op.key !== 'string' || op.key.length === 0) corrupt(where, `op ${op.id} has no key`)
  if (typeof op.tombstone !== 'boolean')
    corrupt(where, `op ${op.id} tombstone is ${describeValue(op.tombstone)}`)
  if (op.tombstone ? op.value !== null : typeof op.value !== 'string')
    corrupt(where, `op ${op.id} value is ${describeValue(op.value)}`)
  const v = op.version
  if (!isRecord(v) || typeof v.ts !== 'number' || !Number.isFinite(v.ts) || !isNodeIdString(v.node))
    corrupt(where, `op ${op.id} version is malformed`)
  if (typeof op.writtenAtMs !== 'number' || !Number.isFinite(op.writtenAtMs))
    corrupt(where, `op ${op.id} writtenAtMs is ${describeValue(op.writtenAtMs)}`)
  return raw as unknown as Op
}

/** Checks a list of node ids (a log entry's pending peers). */
export function checkNodeIds(raw: unknown, where: string): NodeId[] {
  if (!Array.isArray(raw) || !raw.every(isNodeIdString)) corrupt(where, 'pending peers are malformed')
  return raw as NodeId[]
}

/** A short description of a bad value for an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing'
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return 'an array'
  return `a ${typeof v}`
}
