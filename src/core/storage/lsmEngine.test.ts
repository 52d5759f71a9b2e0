import { MemoryDisk } from '../disk/memoryDisk'
import { runStorageEngineContract } from './engineContract.testSuite'

runStorageEngineContract('MemoryDisk', async (name) => new MemoryDisk(name))
