/**
 * Leveled compaction planning. Level 0 holds flushed tables that may overlap (newest first); deeper
 * levels hold non-overlapping tables sorted by key, each level allowed ~10x the bytes of the one above.
 */
import type { TableMeta } from './tableFormat'

export interface CompactionTuning {
  /** Level 0 is merged into level 1 once it has this many tables. */
  l0TablesMax: number
  /** Byte budget of level 1; level n gets levelBytesBase * 10^(n-1). */
  levelBytesBase: number
  levelsMax: number
}

export interface CompactionPlan {
  fromLevel: number
  toLevel: number
  /** Input tables, newest first (that order decides which version of a key wins). */
  inputs: TableMeta[]
  /** Tables in levels below toLevel: an expired tombstone is dropped only if none of them may hold its key. */
  below: TableMeta[]
  /** Key after which the next pick in fromLevel starts (round robin over the key space). */
  cursorKey?: string
}

/** Total bytes of the tables of a level. */
export function levelBytes(level: readonly TableMeta[]): number {
  return level.reduce((s, t) => s + t.bytes, 0)
}

function overlapping(level: readonly TableMeta[] | undefined, minKey: string, maxKey: string): TableMeta[] {
  return (level ?? []).filter((t) => t.maxKey >= minKey && t.minKey <= maxKey)
}

/** The next background compaction to run, or undefined when every level is within budget. */
export function pickCompaction(
  levels: readonly TableMeta[][],
  tuning: CompactionTuning,
  cursorKeys: ReadonlyMap<number, string>,
): CompactionPlan | undefined {
  const l0 = levels[0] ?? []
  if (l0.length >= tuning.l0TablesMax) {
    let minKey = l0[0].minKey
    let maxKey = l0[0].maxKey
    for (const t of l0) {
      if (t.minKey < minKey) minKey = t.minKey
      if (t.maxKey > maxKey) maxKey = t.maxKey
    }
    return {
      fromLevel: 0,
      toLevel: 1,
      inputs: [...l0, ...overlapping(levels[1], minKey, maxKey)],
      below: levels.slice(2).flat(),
    }
  }
  for (let n = 1; n < levels.length && n < tuning.levelsMax - 1; n++) {
    if (levelBytes(levels[n]) <= tuning.levelBytesBase * 10 ** (n - 1)) continue
    const cursor = cursorKeys.get(n)
    const table = levels[n].find((t) => cursor === undefined || t.minKey > cursor) ?? levels[n][0]
    return {
      fromLevel: n,
      toLevel: n + 1,
      inputs: [table, ...overlapping(levels[n + 1], table.minKey, table.maxKey)],
      below: levels.slice(n + 2).flat(),
      cursorKey: table.maxKey,
    }
  }
  return undefined
}

/** A major compaction: every table merged into the deepest level, so expired tombstones can go. */
export function fullCompactionPlan(levels: readonly TableMeta[][]): CompactionPlan | undefined {
  const inputs = levels.flat()
  if (inputs.length === 0) return undefined
  let deepest = 1
  for (let n = levels.length - 1; n >= 1; n--) {
    if (levels[n].length > 0) {
      deepest = n
      break
    }
  }
  if (inputs.length === 1 && levels[deepest]?.length === 1 && inputs[0].tombstones === 0) return undefined
  return { fromLevel: 0, toLevel: deepest, inputs, below: [] }
}

/** Levels after a compaction: inputs removed, outputs placed (sorted) in `toLevel`. */
export function applyCompaction(
  levels: readonly TableMeta[][],
  plan: CompactionPlan,
  outputs: readonly TableMeta[],
): TableMeta[][] {
  const gone = new Set(plan.inputs.map((t) => t.id))
  const next = levels.map((l) => l.filter((t) => !gone.has(t.id)))
  while (next.length <= plan.toLevel) next.push([])
  next[plan.toLevel] = [...next[plan.toLevel], ...outputs].sort((a, b) =>
    a.minKey < b.minKey ? -1 : a.minKey > b.minKey ? 1 : 0,
  )
  while (next.length > 1 && next[next.length - 1].length === 0) next.pop()
  return next
}
