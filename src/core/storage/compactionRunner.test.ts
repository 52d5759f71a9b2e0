import { describe, expect, it } from 'vitest'
import type { DiskOp } from '../disk/disk'
import { applyCompaction, fullCompactionPlan, pickCompaction } from './compactionPlanner'
import { runCompaction } from './compactionRunner'
import type { KeyedRecord } from './engine'
import { arrayCursor } from './mergeCursor'
import { TableBuilder } from './tableBuilder'
import type { TableMeta } from './tableFormat'

const rec = (key: string, value: number | null, writtenAtMs = 0): KeyedRecord => ({
  key,
  record: { value, tombstone: value === null, meta: null, writtenAtMs },
})

function table(id: number, rows: KeyedRecord[]): { meta: TableMeta; rows: KeyedRecord[] } {
  const b = new TableBuilder(id, 64)
  for (const r of rows) b.add(r.key, r.record)
  return { meta: b.finish(0, 10).meta, rows }
}

async function compact(inputs: ReturnType<typeof table>[], below: TableMeta[], nowMs: number) {
  const staged: DiskOp[][] = []
  let nextId = 100
  const out = await runCompaction(
    { fromLevel: 0, toLevel: 1, inputs: inputs.map((t) => t.meta), below },
    {
      openCursor: async (meta) => arrayCursor(inputs.find((t) => t.meta.id === meta.id)!.rows),
      allocateTableId: () => nextId++,
      stage: async (ops) => void staged.push(ops),
      nowMs,
      tombstoneGraceMs: 100,
      blockBytesMax: 64,
      tableBytesTarget: 150,
      bloomBitsPerKey: 10,
    },
  )
  return { out, staged }
}

describe('compaction', () => {
  it('keeps the newest version per key and cuts output tables at tableBytesTarget, staging each', async () => {
    const newer = table(2, [rec('a', 2), rec('c', 2)])
    const older = table(1, [rec('a', 1), rec('b', 1), rec('c', 1), rec('d', 1), rec('e', 1), rec('f', 1)])
    const { out, staged } = await compact([newer, older], [], 0)
    expect(out.entriesIn).toBe(8)
    expect(out.entriesOut).toBe(6)
    expect(out.tables.length).toBeGreaterThan(1)
    expect(staged.length).toBe(out.tables.length)
    for (let i = 1; i < out.tables.length; i++)
      expect(out.tables[i - 1].maxKey < out.tables[i].minKey).toBe(true)
  })

  it('drops a tombstone only past the grace period and when no table below may hold its key', async () => {
    const deletes = table(2, [rec('a', null, 0), rec('b', null, 0), rec('c', null, 950)])
    const deep = table(9, [rec('b', 7)])
    const { out } = await compact([deletes], [deep.meta], 1000)
    expect(out.tombstonesDropped).toBe(1) // 'a' goes; 'b' may shadow a value below; 'c' is within grace
    expect(out.tables.flatMap((t) => [t.minKey, t.maxKey])).toEqual(['b', 'c'])
  })

  it('plans leveled compactions: L0 by table count, deeper levels by bytes, full compaction to the bottom', () => {
    const t = (id: number, minKey: string, maxKey: string, bytes = 10) => ({
      ...table(id, [rec(minKey, 1)]).meta,
      minKey,
      maxKey,
      bytes,
    })
    const tuning = { l0TablesMax: 2, levelBytesBase: 100, levelsMax: 4 }
    const levels = [[t(5, 'a', 'c'), t(4, 'b', 'd')], [t(1, 'a', 'b'), t(2, 'x', 'z')], [t(3, 'a', 'z')]]
    const plan = pickCompaction(levels, tuning, new Map())!
    expect(plan.inputs.map((x) => x.id)).toEqual([5, 4, 1])
    expect(plan.below.map((x) => x.id)).toEqual([3])
    const after = applyCompaction(levels, plan, [t(6, 'a', 'd')])
    expect(after.map((l) => l.map((x) => x.id))).toEqual([[], [6, 2], [3]])
    const heavy = [[], [t(7, 'a', 'b', 150), t(8, 'c', 'd', 10)], [t(9, 'a', 'a')]]
    expect(pickCompaction(heavy, tuning, new Map())).toMatchObject({ fromLevel: 1, toLevel: 2 })
    expect(fullCompactionPlan(levels)).toMatchObject({ toLevel: 2, below: [] })
  })
})
