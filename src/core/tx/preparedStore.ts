/**
 * Durable prepares at a lock owner: the locks a transaction prepared here and the node holding its
 * record, written to the Disk store 'meta' (key `txprep|<txId>`, no new store, no schema bump) in a
 * group commit before the prepare is acknowledged, so a lock owner that restarts before the
 * transaction's rows reached W still holds its locks; reloaded at start, they are resolved by asking
 * the record holder when their lease runs out (as any prepared transaction whose coordinator went
 * silent). Deleted (lazily) on release; an entry a crash left behind is resolved the same way.
 * The record holder writes none: its record stands for its prepare (lockService.ts `recover`).
 */
import type { NodeId } from '../ids'
import type { TxHost } from './host'
import type { LockMode, TxPriority } from './types'

/** The durable form of one transaction's prepare at this lock owner. */
export interface StoredPrepare {
  txId: string
  /** The node holding its record (the one to ask about its outcome). */
  holder: NodeId
  locks: Array<{ key: string; mode: LockMode }>
  prio?: TxPriority
}

export class PreparedStore {
  /** Saves in flight: a release waits for its save, so the delete lands after the put. */
  private readonly saving = new Map<string, Promise<void>>()

  constructor(private readonly host: TxHost) {}

  /** Transactions with a prepare on disk here (saved or loaded): only those need a delete. */
  private readonly onDisk = new Set<string>()

  /** Resolves once the prepare is durable here. */
  save(p: StoredPrepare): Promise<void> {
    this.onDisk.add(p.txId)
    const s = this.host.savePrepared(p)
    const settled = s.then(
      () => {},
      () => {},
    )
    this.saving.set(p.txId, settled)
    void settled.then(() => {
      if (this.saving.get(p.txId) === settled) this.saving.delete(p.txId)
    })
    return s
  }

  /** Forgets a transaction's prepare (after its save, if one is in flight). */
  drop(txId: string): void {
    if (!this.onDisk.delete(txId)) return
    const s = this.saving.get(txId)
    if (s) void s.then(() => this.host.dropPrepared(txId))
    else this.host.dropPrepared(txId)
  }

  /** The prepares a previous incarnation left on disk. */
  async load(): Promise<StoredPrepare[]> {
    const loaded = (await this.host.loadPrepared()).filter(isStored)
    for (const p of loaded) this.onDisk.add(p.txId)
    return loaded
  }
}

function isStored(v: unknown): v is StoredPrepare {
  const s = v as StoredPrepare
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.txId === 'string' &&
    typeof s.holder === 'string' &&
    Array.isArray(s.locks) &&
    s.locks.every((l) => typeof l?.key === 'string' && (l.mode === 'S' || l.mode === 'X'))
  )
}
