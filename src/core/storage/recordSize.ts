/**
 * Deterministic size estimates for budgets and limits (memtable, blocks, valueBytesMax). They follow
 * the V8 structured-clone encoding closely enough to keep blocks under Chrome's 64 KiB inline limit.
 */
import { dbError } from '../errors'
import type { StoredRecord } from './engine'

const TWO_BYTE_CHAR = /[\u0100-\uffff]/
const ENTRY_OVERHEAD_BYTES = 16

/** Estimated serialized bytes of a string (one byte per char when Latin-1, else two). */
export function stringBytes(s: string): number {
  return 4 + (TWO_BYTE_CHAR.test(s) ? s.length * 2 : s.length)
}

const DEPTH_MAX = 64

/** Estimated structured-clone bytes of a value; throws BAD_INPUT for values that cannot be cloned. */
export function estimateBytes(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value)
    case 'number':
      return 9
    case 'boolean':
    case 'undefined':
      return 1
    case 'bigint':
      return 9 + Math.ceil(value.toString(16).length / 2)
    case 'object':
      if (value === null) return 1
      if (depth >= DEPTH_MAX)
        throw dbError('BAD_INPUT', `values may nest at most ${DEPTH_MAX} levels (or contain a cycle)`)
      return objectBytes(value, depth + 1)
    default:
      throw dbError('BAD_INPUT', `values must be structured-cloneable, got a ${typeof value}`)
  }
}

function objectBytes(v: object, depth: number): number {
  if (ArrayBuffer.isView(v)) return 12 + v.byteLength
  if (v instanceof ArrayBuffer) return 8 + v.byteLength
  if (v instanceof Date) return 9
  let bytes = 8
  if (v instanceof Map) {
    for (const [k, x] of v) bytes += estimateBytes(k, depth) + estimateBytes(x, depth)
  } else if (v instanceof Set) {
    for (const x of v) bytes += estimateBytes(x, depth)
  } else if (Array.isArray(v)) {
    for (const x of v) bytes += estimateBytes(x, depth)
  } else {
    for (const k in v) {
      if (Object.hasOwn(v, k))
        bytes += stringBytes(k) + estimateBytes((v as Record<string, unknown>)[k], depth)
    }
  }
  return bytes
}

// Records are immutable once prepared; memoising their size saves re-walking them on every insert,
// WAL append and table build.
const recordBytesMemo = new WeakMap<StoredRecord, number>()

/** Estimated bytes one keyed record takes in a memtable, a WAL record or a table block. */
export function recordBytes(key: string, record: StoredRecord): number {
  let bytes = recordBytesMemo.get(record)
  if (bytes === undefined) {
    bytes = estimateBytes(record.value) + estimateBytes(record.meta)
    recordBytesMemo.set(record, bytes)
  }
  return ENTRY_OVERHEAD_BYTES + stringBytes(key) + bytes
}
