/**
 * Which storage a node gets in each host. The worker host opens IndexedDB when the cluster persists;
 * if it cannot, the node does not start (STORAGE_UNAVAILABLE, `details.stage: 'disk-open'`) rather
 * than keep acknowledged writes in memory: memory mode is only ever chosen explicitly (`persist:
 * false`). Both hosts run the same LSM engine over the disk.
 */
import { deleteDB } from 'idb'
import { DISK_OPEN_STAGE } from '../cluster/failures'
import type { Disk } from '../core/disk/disk'
import { MemoryDisk } from '../core/disk/memoryDisk'
import type { NodeEnv } from '../core/env'
import { dbError, toErrorData } from '../core/errors'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { Message } from '../core/protocol/messages'
import type { StorageEngine } from '../core/storage/engine'
import { createLsmEngine } from '../core/storage/lsmEngine'
import { IdbDisk } from '../hosts/idbDisk'

/**
 * The node's disk: IndexedDB when persisting, memory when the cluster chose `persist: false`.
 * `fresh` deletes the database first (rebuilding a node from its peers).
 */
export async function openNodeDisk(name: string, persist: boolean, fresh = false): Promise<Disk> {
  if (!persist) return new MemoryDisk(name)
  try {
    if (fresh) {
      if (typeof indexedDB === 'undefined')
        throw dbError('STORAGE_UNAVAILABLE', 'IndexedDB is not available here')
      await deleteDB(name)
    }
    return await IdbDisk.open(name)
  } catch (e) {
    const d = toErrorData(e)
    const code = d.code === 'QUOTA_EXCEEDED' ? d.code : 'STORAGE_UNAVAILABLE'
    const reason = d.message.replace(/^([A-Z_]+: )+/, '')
    throw dbError(
      code,
      `IndexedDB cannot be opened for ${name} (${reason}); a node that cannot make a write durable does not start`,
      { stage: DISK_OPEN_STAGE },
    )
  }
}

/** The storage engine every node runs: the LSM tree over the node's disk. */
export function createNodeEngine(env: NodeEnv<Message>, config: NodeConfig): StorageEngine {
  return createLsmEngine(env.disk, {
    memtableBytesMax: config.memtableBytesMax,
    tombstoneGraceMs: config.tombstoneGraceMs,
    valueBytesMax: config.valueBytesMax,
    blockCacheBytesMax: config.blockCacheBytesMax,
    nowMs: () => env.clock.nowMs(),
    // No WAL window here: the node's group commit (WriteGroups) waits the batching window and hands
    // the engine one write at a time, so a window in the WAL would only wait.
  })
}
