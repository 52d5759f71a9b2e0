/** Validation and preparation of a write batch, and mapping of Disk failures to coded errors. */
import { DISK_STORES, type DiskOp } from '../disk/disk'
import { dbError, fromErrorData, isDbError } from '../errors'
import { assertValueSize } from '../limits'
import type { KeyedRecord, StoredRecord } from './engine'
import { estimateBytes, recordBytes } from './recordSize'

export interface PreparedBatch {
  keys: string[]
  records: StoredRecord[]
  bytes: number
}

/** Throws BAD_INPUT unless `key` is a non-empty string. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string')
    throw dbError('BAD_INPUT', `keys are strings, got ${key === null ? 'null' : typeof key}`)
  if (key.length === 0) throw dbError('BAD_INPUT', 'keys must not be empty')
}

/**
 * Checks every record before any is applied (BAD_INPUT, VALUE_TOO_LARGE; the size walk also rejects
 * functions and symbols, which cannot be cloned). Records are copied shallowly: the engine keeps
 * references to `value` and `meta`, so callers must not mutate them after writing (deep-cloning every
 * write cost ~10% of write throughput in the benchmark).
 */
export function prepareBatch(
  batch: readonly KeyedRecord[],
  extra: readonly DiskOp[],
  valueBytesMax: number,
  nowMs: number,
): PreparedBatch {
  if (!Array.isArray(batch)) throw dbError('BAD_INPUT', 'a write batch is an array of {key, record}')
  const prepared: PreparedBatch = { keys: [], records: [], bytes: 0 }
  for (const item of batch) {
    checkKey(item?.key)
    const r = item.record
    if (typeof r !== 'object' || r === null) throw dbError('BAD_INPUT', `record for ${item.key} is missing`)
    const tombstone = r.tombstone === true
    const value = tombstone ? null : r.value
    // Node values are strings: one rule for them everywhere (UTF-8 bytes, core/limits.ts). Other
    // cloneable values (the engine is generic) are held to the structured-clone estimate.
    if (typeof value === 'string') assertValueSize(item.key, value, valueBytesMax)
    else if (value !== null && estimateBytes(value) > valueBytesMax) {
      const valueBytes = estimateBytes(value)
      throw dbError(
        'VALUE_TOO_LARGE',
        `the value of ${JSON.stringify(item.key)} is ~${valueBytes} bytes; valueBytesMax is ${valueBytesMax}`,
        { key: item.key, valueBytes, valueBytesMax },
      )
    }
    estimateBytes(r.meta)
    const writtenAtMs =
      typeof r.writtenAtMs === 'number' && Number.isFinite(r.writtenAtMs) ? r.writtenAtMs : nowMs
    const copy: StoredRecord = { value, tombstone, meta: r.meta, writtenAtMs }
    prepared.keys.push(item.key)
    prepared.records.push(copy)
    prepared.bytes += recordBytes(item.key, copy)
  }
  for (const op of extra) {
    if (!(DISK_STORES as readonly string[]).includes(op?.store))
      throw dbError('BAD_INPUT', `unknown disk store ${String(op?.store)}`)
  }
  return prepared
}

/** Coded form of a Disk failure: quota → QUOTA_EXCEEDED, coded errors as they are, else STORAGE_UNAVAILABLE. */
export function toStorageError(e: unknown): Error {
  if (isDbError(e)) return e instanceof Error ? e : fromErrorData(e)
  const name = (e as { name?: unknown } | null)?.name
  if (name === 'QuotaExceededError')
    return dbError('QUOTA_EXCEEDED', 'the browser storage quota is exhausted')
  return dbError('STORAGE_UNAVAILABLE', `storage write failed: ${e instanceof Error ? e.message : String(e)}`)
}
