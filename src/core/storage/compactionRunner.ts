/**
 * Runs one compaction as a streaming merge: input tables are read block by block (bypassing the block
 * cache), the newest version of each key is kept, expired tombstones are dropped when no table below
 * may hold the key, and output tables are cut at tableBytesTarget. Each finished output table is
 * staged in its own commit under a `pending` meta that no manifest references (garbage-collected at
 * open after a crash); the caller publishes all outputs with the manifest in one final commit.
 */
import type { DiskOp } from '../disk/disk'
import { bloomMayContain, keyHashes } from './bloomFilter'
import type { CompactionPlan } from './compactionPlanner'
import { mergeNewest, type RecordCursor } from './mergeCursor'
import { TableBuilder } from './tableBuilder'
import { metaKey, type PendingTableMarker, type TableMeta } from './tableFormat'

export interface CompactionDeps {
  openCursor(meta: TableMeta): Promise<RecordCursor>
  allocateTableId(): number
  /** Commits ops that are invisible until the manifest names their tables. */
  stage(ops: DiskOp[]): Promise<void>
  nowMs: number
  tombstoneGraceMs: number
  blockBytesMax: number
  tableBytesTarget: number
  bloomBitsPerKey: number
}

export interface CompactionOutput {
  tables: TableMeta[]
  metaOps: DiskOp[]
  entriesIn: number
  entriesOut: number
  tombstonesDropped: number
  bytesOut: number
}

function mayExistBelow(below: readonly TableMeta[], key: string): boolean {
  if (below.length === 0) return false
  const hashes = keyHashes(key)
  return below.some((t) => key >= t.minKey && key <= t.maxKey && bloomMayContain(t.bloom, hashes))
}

/** Merges the plan's inputs into staged output tables; returns their metas for the publishing commit. */
export async function runCompaction(plan: CompactionPlan, deps: CompactionDeps): Promise<CompactionOutput> {
  const cursors = await Promise.all(plan.inputs.map((t) => deps.openCursor(t)))
  const out: CompactionOutput = {
    tables: [],
    metaOps: [],
    entriesIn: 0,
    entriesOut: 0,
    tombstonesDropped: 0,
    bytesOut: 0,
  }
  for (const t of plan.inputs) out.entriesIn += t.entries
  let builder: TableBuilder | null = null
  const finishTable = async (b: TableBuilder): Promise<void> => {
    const built = b.finish(deps.nowMs, deps.bloomBitsPerKey)
    const marker: PendingTableMarker = { id: b.id, pending: true }
    await deps.stage([{ type: 'put', store: 'sst', key: metaKey(b.id), value: marker }, ...built.blockOps])
    out.tables.push(built.meta)
    out.metaOps.push(built.metaOp)
    out.bytesOut += built.meta.bytes
  }
  for await (const { key, record } of mergeNewest(cursors)) {
    const expired = record.tombstone && deps.nowMs - record.writtenAtMs > deps.tombstoneGraceMs
    if (expired && !mayExistBelow(plan.below, key)) {
      out.tombstonesDropped++
      continue
    }
    builder ??= new TableBuilder(deps.allocateTableId(), deps.blockBytesMax)
    builder.add(key, record)
    out.entriesOut++
    if (builder.bytes >= deps.tableBytesTarget) {
      await finishTable(builder)
      builder = null
    }
  }
  if (builder) await finishTable(builder)
  return out
}
