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

/** Estimated structured-clone bytes of a value; throws BAD_INPUT for values that cannot be cloned. */
export function estimateBytes(value: unknown): number {
  let total = 0
  const stack: unknown[] = [value]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const v = stack.pop()
    switch (typeof v) {
      case 'string':
        total += stringBytes(v)
        break
      case 'number':
        total += 9
        break
      case 'boolean':
      case 'undefined':
        total += 1
        break
      case 'bigint':
        total += 9 + Math.ceil(v.toString(16).length / 2)
        break
      case 'object':
        if (v === null) {
          total += 1
          break
        }
        if (seen.has(v)) {
          total += 5
          break
        }
        seen.add(v)
        total += objectBytes(v, stack)
        break
      default:
        throw dbError('BAD_INPUT', `values must be structured-cloneable, got a ${typeof v}`)
    }
  }
  return total
}

function objectBytes(v: object, stack: unknown[]): number {
  if (ArrayBuffer.isView(v)) return 12 + v.byteLength
  if (v instanceof ArrayBuffer) return 8 + v.byteLength
  if (v instanceof Date) return 9
  if (v instanceof Map) {
    for (const [k, x] of v) stack.push(k, x)
    return 8
  }
  if (v instanceof Set) {
    for (const x of v) stack.push(x)
    return 8
  }
  if (Array.isArray(v)) {
    for (const x of v) stack.push(x)
    return 8
  }
  let bytes = 8
  for (const [k, x] of Object.entries(v)) {
    bytes += stringBytes(k)
    stack.push(x)
  }
  return bytes
}

/** Estimated bytes one keyed record takes in a memtable, a WAL record or a table block. */
export function recordBytes(key: string, record: StoredRecord): number {
  return ENTRY_OVERHEAD_BYTES + stringBytes(key) + estimateBytes(record.value) + estimateBytes(record.meta)
}
