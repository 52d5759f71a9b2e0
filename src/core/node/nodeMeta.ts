/**
 * The node's metadata: clock, own op sequence and dot cloud, a snapshot taken with every group
 * commit. A commit that writes rows carries it inside their WAL record (StorageEngine.write's
 * attachment); one without rows puts it in Disk store 'meta' under key 'node'; a flush that drops WAL
 * records puts the snapshot covering them under 'node@flush'. Every field only grows (max, union),
 * so recovery merges all of them (`mergeNodeMetas`) whatever order they were written in. Reading
 * each back is checked (garbage is STORAGE_CORRUPT), and the own sequence a node resumes from does
 * not trust them alone: see `resumeSeq`.
 */
import { dbError, isDbError } from '../errors'
import { DotCloud, type DotCloudJson } from '../replication/dotCloud'
import { describeValue, isCount, isRecord } from '../replication/storedShapes'

export interface NodeMeta {
  clock: number
  ownSeq: number
  dots: DotCloudJson
  /** The incarnation the node's merging writes are signed with (absent: 0, the plain node id). */
  epoch?: number
}

export interface LoadedNodeMeta {
  clock: number
  ownSeq: number
  dots: DotCloud
  /** The stored epoch; null when there was no record (an empty disk). */
  epoch: number | null
}

/** The 'meta' keys of the snapshots written outside WAL records (see above). */
export const META_KEY = 'node'
export const FLUSHED_META_KEY = 'node@flush'

/**
 * Checks a stored metadata snapshot (undefined = none); throws STORAGE_CORRUPT naming the bad field.
 * `where`: where it was read from, for the error.
 */
export function parseNodeMeta(raw: unknown, where = 'meta/node'): LoadedNodeMeta {
  if (raw === undefined) return { clock: 0, ownSeq: 0, dots: new DotCloud(), epoch: null }
  const bad = (what: string): never => {
    throw dbError('STORAGE_CORRUPT', `node metadata (${where}): ${what}`, { where })
  }
  if (!isRecord(raw)) return bad(`is ${describeValue(raw)}, not an object`)
  if (typeof raw.clock !== 'number' || !Number.isFinite(raw.clock) || raw.clock < 0)
    bad(`clock ${describeValue(raw.clock)} is not a non-negative number`)
  if (!isCount(raw.ownSeq)) bad(`ownSeq ${describeValue(raw.ownSeq)} is not a non-negative integer`)
  if (raw.epoch !== undefined && !isCount(raw.epoch))
    bad(`epoch ${describeValue(raw.epoch)} is not a non-negative integer`)
  let dots: DotCloud
  try {
    dots = DotCloud.fromJson(raw.dots ?? {})
  } catch (e) {
    return bad(isDbError(e) ? e.message.replace(/^BAD_INPUT: /, '') : String(e))
  }
  return { clock: raw.clock as number, ownSeq: raw.ownSeq as number, dots, epoch: (raw.epoch as number) ?? 0 }
}

/**
 * The union of snapshots: the highest clock and own seq, every dot, the epoch (null only when none
 * was stored: an empty disk). Each snapshot is safe alone (its counters were at least what it
 * covered, its dots durable), so their merge is too.
 */
export function mergeNodeMetas(metas: readonly LoadedNodeMeta[]): LoadedNodeMeta {
  const out: LoadedNodeMeta = { clock: 0, ownSeq: 0, dots: new DotCloud(), epoch: null }
  for (const m of metas) {
    out.clock = Math.max(out.clock, m.clock)
    out.ownSeq = Math.max(out.ownSeq, m.ownSeq)
    out.dots.addAll(m.dots)
    if (m.epoch !== null) out.epoch = Math.max(out.epoch ?? 0, m.epoch)
  }
  return out
}

/** The stored form of a snapshot. */
export function nodeMetaRecord(m: LoadedNodeMeta): NodeMeta {
  const value: NodeMeta = { clock: m.clock, ownSeq: m.ownSeq, dots: m.dots.toJson() }
  if (m.epoch) value.epoch = m.epoch
  return value
}

/**
 * The epoch of a node that opens on an empty disk after its cluster's first boot (rebuilt, replaced,
 * or a memory disk restarted): its old incarnation may have signed dots peers still hold, and its
 * empty state no longer covers them, so it signs with a new actor id. Wall (or virtual) ms × 1000
 * plus a random draw: the worker reseeds a node's randomness per boot and a sim may rebuild twice
 * in one virtual ms, so neither alone is unique. Never 0 (0 is the plain node id).
 */
export function freshEpoch(nowMs: number, random: { int(n: number): number }): number {
  return Math.max(0, Math.floor(nowMs)) * 1000 + 1 + random.int(999)
}

/**
 * Own sequence numbers allocated per millisecond of the node's clock at most (1M writes/s, far
 * above what one node does): the floor below stays above every seq of an earlier incarnation.
 */
export const SEQS_PER_MS = 1000

/**
 * The own seq a node resumes from: past the highest its disk shows (`onDiskSeq`: metadata, its own
 * ops in its dot cloud, replication log and hints) AND past `SEQS_PER_MS` × its clock. The clock floor is what makes
 * a rolled-back or lost metadata record safe: an earlier incarnation opened at t0 < now and allocated
 * fewer than SEQS_PER_MS × (now − t0) seqs, so every seq it used (which peers may hold in their dot
 * clouds) is below the floor, and a new op is never taken for a duplicate of an old one. The seqs
 * skipped were never allocated by anyone, so every peer may mark them seen (the replicate `gap`).
 */
export function resumeSeq(onDiskSeq: number, nowMs: number): number {
  const seq = Math.max(onDiskSeq, Math.max(0, Math.floor(nowMs)) * SEQS_PER_MS)
  if (!Number.isSafeInteger(seq + 1))
    throw dbError('STORAGE_CORRUPT', `own sequence ${seq} is past the safe integer range`)
  return seq
}
