/**
 * The IndexedDB implementation of Disk (browser host only; the core never imports it). One object
 * store per DISK_STORES entry; commit = ONE readwrite transaction over the touched stores, with every
 * request issued synchronously and nothing else awaited inside it, resolved on tx.done.
 */
import { deleteDB, type IDBPDatabase, type IDBPTransaction, openDB } from 'idb'
import {
  compareDiskKeys,
  DISK_SCHEMA_VERSION,
  DISK_STORES,
  type Disk,
  type DiskEntry,
  type DiskKey,
  type DiskOp,
  type DiskRange,
  type DiskStore,
} from '../core/disk/disk'
import { MemoryDisk } from '../core/disk/memoryDisk'
import { type DbError, dbError, isDbError } from '../core/errors'

/** Maps an IndexedDB failure to a coded error (quota → QUOTA_EXCEEDED, bad values → BAD_INPUT). */
export function idbError(e: unknown, doing: string): DbError {
  if (isDbError(e)) return e as DbError
  const name = (e as { name?: unknown } | null)?.name
  const message = e instanceof Error ? e.message : String(e)
  if (name === 'QuotaExceededError')
    return dbError('QUOTA_EXCEEDED', `browser storage quota exhausted while ${doing}`)
  if (name === 'DataCloneError' || name === 'DataError')
    return dbError('BAD_INPUT', `IndexedDB refused the data while ${doing}: ${message}`)
  return dbError('STORAGE_UNAVAILABLE', `IndexedDB failed while ${doing}: ${message}`)
}

function keyRange(range: DiskRange): IDBKeyRange | undefined {
  const { lower, upper } = range
  if (lower !== undefined && upper !== undefined) return IDBKeyRange.bound(lower, upper)
  if (lower !== undefined) return IDBKeyRange.lowerBound(lower)
  if (upper !== undefined) return IDBKeyRange.upperBound(upper)
  return undefined
}

export class IdbDisk implements Disk {
  readonly name: string
  private readonly db: IDBPDatabase

  private constructor(name: string, db: IDBPDatabase) {
    this.name = name
    this.db = db
  }

  /** Opens (creating or upgrading) the database `name`; STORAGE_UNAVAILABLE if IndexedDB cannot be used. */
  static async open(name: string): Promise<IdbDisk> {
    if (typeof indexedDB === 'undefined')
      throw dbError('STORAGE_UNAVAILABLE', 'IndexedDB is not available here')
    let onBlocked: (() => void) | undefined
    const blocked = new Promise<never>((_, reject) => {
      onBlocked = () =>
        reject(dbError('STORAGE_UNAVAILABLE', `database ${name} is blocked by another open tab`))
    })
    blocked.catch(() => {})
    try {
      const opening = openDB(name, DISK_SCHEMA_VERSION, {
        upgrade(db) {
          for (const store of DISK_STORES)
            if (!db.objectStoreNames.contains(store)) db.createObjectStore(store)
        },
        blocked: () => onBlocked?.(),
        blocking(_current, _next, event) {
          ;(event.target as IDBDatabase).close()
        },
      })
      const db = await Promise.race([opening, blocked])
      return new IdbDisk(name, db)
    } catch (e) {
      const err = idbError(e, `opening ${name}`)
      throw err.code === 'QUOTA_EXCEEDED' ? err : dbError('STORAGE_UNAVAILABLE', err.message)
    }
  }

  async get(store: DiskStore, key: DiskKey): Promise<unknown | undefined> {
    try {
      return await this.db.get(store, key)
    } catch (e) {
      throw idbError(e, `reading ${store}`)
    }
  }

  async getRange(store: DiskStore, range: DiskRange = {}): Promise<DiskEntry[]> {
    if (range.limit !== undefined && range.limit <= 0) return []
    if (
      range.lower !== undefined &&
      range.upper !== undefined &&
      compareDiskKeys(range.lower, range.upper) > 0
    )
      return []
    try {
      const tx = this.db.transaction(store, 'readonly')
      const query = keyRange(range)
      const [keys, values] = await Promise.all([
        tx.store.getAllKeys(query, range.limit),
        tx.store.getAll(query, range.limit),
        tx.done,
      ])
      return keys.map((key, i) => ({ key: key as DiskKey, value: values[i] }))
    } catch (e) {
      throw idbError(e, `reading a range of ${store}`)
    }
  }

  async commit(ops: readonly DiskOp[]): Promise<void> {
    if (ops.length === 0) return
    const stores = [...new Set(ops.map((op) => op.store))]
    let tx: IDBPTransaction<unknown, string[], 'readwrite'> | undefined
    const requests: Promise<unknown>[] = []
    try {
      tx = this.db.transaction(stores, 'readwrite', { durability: 'default' })
      for (const op of ops) {
        const store = tx.objectStore(op.store)
        if (op.type === 'put') requests.push(store.put(op.value, op.key))
        else if (op.type === 'delete') requests.push(store.delete(op.key))
        else if (compareDiskKeys(op.lower, op.upper) <= 0)
          requests.push(store.delete(IDBKeyRange.bound(op.lower, op.upper)))
      }
      requests.push(tx.done)
    } catch (e) {
      // A synchronous failure (uncloneable value, bad key): abort so nothing of the batch lands.
      for (const r of requests) r.catch(() => {})
      try {
        tx?.abort()
      } catch {}
      await tx?.done.catch(() => {})
      throw idbError(e, 'committing')
    }
    try {
      await Promise.all(requests)
    } catch (e) {
      const txError = (tx as unknown as { error?: unknown }).error
      throw idbError(txError ?? e, 'committing')
    }
  }

  close(): void {
    this.db.close()
  }

  async destroy(): Promise<void> {
    this.db.close()
    await deleteDB(this.name)
  }
}

/**
 * IndexedDB when it works, else a MemoryDisk with a warning for the UI to show (private mode, blocked
 * storage, non-browser runtimes): the node still runs but forgets everything on reload.
 */
export async function openDiskOrMemory(name: string): Promise<{ disk: Disk; warning?: string }> {
  try {
    return { disk: await IdbDisk.open(name) }
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    return {
      disk: new MemoryDisk(name),
      warning: `IndexedDB is unavailable (${reason}); ${name} keeps its data in memory only and loses it on reload.`,
    }
  }
}
