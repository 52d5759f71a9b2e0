/**
 * Which storage a node gets in each host. The worker host opens IndexedDB (falling back to memory
 * with a visible warning when IndexedDB is unavailable); both hosts run the same LSM engine over it.
 */
import type { Disk } from '../core/disk/disk'
import { MemoryDisk } from '../core/disk/memoryDisk'
import type { NodeEnv } from '../core/env'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { Message } from '../core/protocol/messages'
import type { StorageEngine } from '../core/storage/engine'
import { createLsmEngine } from '../core/storage/lsmEngine'
import { openDiskOrMemory } from '../hosts/idbDisk'

/** The node's disk: IndexedDB when persisting and available, memory otherwise. */
export async function openNodeDisk(
  name: string,
  persist: boolean,
): Promise<{ disk: Disk; warning?: string }> {
  if (!persist) return { disk: new MemoryDisk(name) }
  return openDiskOrMemory(name)
}

/** The storage engine every node runs: the LSM tree over the node's disk. */
export function createNodeEngine(env: NodeEnv<Message>, config: NodeConfig): StorageEngine {
  return createLsmEngine(env.disk, {
    memtableBytesMax: config.memtableBytesMax,
    tombstoneGraceMs: config.tombstoneGraceMs,
    valueBytesMax: config.valueBytesMax,
    blockCacheBytesMax: config.blockCacheBytesMax,
    nowMs: () => env.clock.nowMs(),
  })
}
