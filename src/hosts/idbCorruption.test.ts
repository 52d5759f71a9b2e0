/** The storage engine's corruption cases over IndexedDB (fake-indexeddb). */
import 'fake-indexeddb/auto'
import { runCorruptionContract } from '../core/storage/corruptionContract.testSuite'
import { IdbDisk } from './idbDisk'

runCorruptionContract('IdbDisk', (name) => IdbDisk.open(name))
