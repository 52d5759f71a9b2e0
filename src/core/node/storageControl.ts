/**
 * "Flush now" and "Compact now": run on a node's LSM engine on request (the dashboard's storage panel),
 * and say what changed, so a demo need not wait for the memtable to fill or level 0 to grow.
 */
import type { StorageEngine } from '../storage/engine'
import type { DbNode } from './dbNode'

export type StorageAction = 'flush' | 'compact'

/** Tables per level and memtable entries before and after the action. */
export interface StorageActionResult {
  action: StorageAction
  tablesBefore: number[]
  tablesAfter: number[]
  memtableEntriesBefore: number
  memtableEntriesAfter: number
}

function tablesPerLevel(engine: StorageEngine): number[] {
  return engine.inspect().levels.map((l) => l.tables.length)
}

/** Flushes the memtable to a level-0 SSTable, or compacts every table into the deepest level. */
export async function runStorageAction(node: DbNode, action: StorageAction): Promise<StorageActionResult> {
  const engine = node.engine
  const tablesBefore = tablesPerLevel(engine)
  const memtableEntriesBefore = engine.inspect().memtable.entries
  if (action === 'flush') await engine.flush()
  else await engine.compact()
  return {
    action,
    tablesBefore,
    tablesAfter: tablesPerLevel(engine),
    memtableEntriesBefore,
    memtableEntriesAfter: engine.inspect().memtable.entries,
  }
}
