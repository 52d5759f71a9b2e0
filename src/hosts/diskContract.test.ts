import 'fake-indexeddb/auto'
import { MemoryDisk } from '../core/disk/memoryDisk'
import { runDiskContract } from './diskContract.testSuite'
import { IdbDisk } from './idbDisk'

// MemoryDisk applies ops one by one, so an uncloneable value half-way leaves earlier ops applied
// (reported to the lead); the engine itself clones every record before it reaches the disk.
runDiskContract({
  name: 'MemoryDisk',
  open: async (n) => new MemoryDisk(n),
  reopen: async (d) => d,
  atomicOnBadValue: true,
})
runDiskContract({
  name: 'IdbDisk',
  open: (n) => IdbDisk.open(n),
  reopen: (d) => IdbDisk.open(d.name),
  atomicOnBadValue: true,
})
