import { MemoryDisk } from '../disk/memoryDisk'
import { runCorruptionContract } from './corruptionContract.testSuite'
import { runStorageEngineContract } from './engineContract.testSuite'

runStorageEngineContract('MemoryDisk', async (name) => new MemoryDisk(name))
runCorruptionContract('MemoryDisk', async (name) => new MemoryDisk(name))
