/**
 * The IndexedDB implementation of Disk (browser host only; the core never imports it). One object
 * store per DISK_STORES entry; commit = ONE readwrite transaction over the touched stores, with every
 * request issued synchronously and nothing else awaited inside it, resolved on tx.done.
 */
import { deleteDB, type IDBPDatabase, openDB, unwrap } from 'idb'
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
  private readonly raw: IDBDatabase

  private constructor(name: string, db: IDBPDatabase) {
    this.name = name
    this.db = db
    this.raw = unwrap(db)
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

  /**
   * The raw IDBDatabase (idb's `unwrap`) serves commits: idb wraps every request in a promise with its
   * own listeners, and with a WAL record, a metadata snapshot and a log record in each of ~100 commits
   * per second per node that wrapping cost ~5% of a busy worker. Only the transaction's events matter.
   */
  commit(ops: readonly DiskOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      let tx: IDBTransaction | undefined
      try {
        const stores = [...new Set(ops.map((op) => op.store))]
        tx = this.raw.transaction(stores, 'readwrite', { durability: 'default' })
        const t = tx
        t.oncomplete = () => resolve()
        t.onabort = () => reject(idbError(t.error ?? new Error('transaction aborted'), 'committing'))
        const handles = new Map<string, IDBObjectStore>()
        for (const op of ops) {
          let store = handles.get(op.store)
          if (!store) {
            store = t.objectStore(op.store)
            handles.set(op.store, store)
          }
          if (op.type === 'put') store.put(op.value, op.key)
          else if (op.type === 'delete') store.delete(op.key)
          else if (compareDiskKeys(op.lower, op.upper) <= 0)
            store.delete(IDBKeyRange.bound(op.lower, op.upper))
        }
      } catch (e) {
        // A synchronous failure (uncloneable value, bad key): abort so nothing of the batch lands.
        if (tx) tx.onabort = null
        try {
          tx?.abort()
        } catch {}
        reject(idbError(e, 'committing'))
      }
    })
  }

  close(): void {
    this.db.close()
  }

  async destroy(): Promise<void> {
    this.db.close()
    await deleteDB(this.name)
  }
}
