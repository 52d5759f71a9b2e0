/** Tuning knobs of the LSM engine beyond the StorageOptions contract, with their defaults. */
import type { Timers } from '../env'
import { dbError } from '../errors'
import type { CompactionTuning } from './compactionPlanner'
import type { StorageOptions } from './engine'

export interface LsmTuning extends CompactionTuning {
  /** Estimated bytes per table block; 48 KiB keeps blocks under Chrome's 64 KiB inline-value limit. */
  blockBytesMax: number
  /** Compaction cuts output tables at about this size (also bounds compaction memory). */
  tableBytesTarget: number
  bloomBitsPerKey: number
  compactionHistoryMax: number
  /** Writers wait for the running flush once the new memtable passes this multiple of memtableBytesMax. */
  memtableStallFactor: number
  /** Group-commit batching window bound (ms; 0 or absent = off). Needs `timers`. */
  batchWindowMsMax?: number
  /** The host's timers, for the batching window (the engine never calls setTimeout). */
  timers?: Timers
}

export type LsmOptions = StorageOptions & Partial<LsmTuning>

export const DEFAULT_LSM_TUNING: LsmTuning = {
  blockBytesMax: 48 * 1024,
  tableBytesTarget: 2 * 1024 * 1024,
  bloomBitsPerKey: 10,
  compactionHistoryMax: 32,
  memtableStallFactor: 2,
  l0TablesMax: 4,
  levelBytesBase: 16 * 1024 * 1024,
  levelsMax: 7,
}

/** Fills defaults and rejects nonsense sizes with BAD_CONFIG. */
export function resolveLsmOptions(options: LsmOptions): StorageOptions & LsmTuning {
  const resolved = { ...DEFAULT_LSM_TUNING, ...options }
  const positive: Array<keyof LsmTuning | keyof StorageOptions> = [
    'memtableBytesMax',
    'valueBytesMax',
    'blockBytesMax',
    'tableBytesTarget',
    'l0TablesMax',
    'levelBytesBase',
    'levelsMax',
  ]
  for (const name of positive) {
    const v = resolved[name]
    if (typeof v !== 'number' || !(v > 0))
      throw dbError('BAD_CONFIG', `${name} must be a positive number, got ${String(v)}`)
  }
  if (resolved.levelsMax < 2) throw dbError('BAD_CONFIG', 'levelsMax must be at least 2')
  if (!(resolved.tombstoneGraceMs >= 0)) throw dbError('BAD_CONFIG', 'tombstoneGraceMs must be >= 0')
  if (!(resolved.blockCacheBytesMax >= 0)) throw dbError('BAD_CONFIG', 'blockCacheBytesMax must be >= 0')
  return resolved
}
