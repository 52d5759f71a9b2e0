/**
 * Per-node counts for the dashboard's node card in the merging modes: keys holding more than one
 * sibling (`vector`) and CRDT keys (`crdt`). Updated from the rows each commit makes durable, so it
 * counts the keys written or merged since the node started (not the ones only recovered from disk).
 */
import type { ConflictMode } from '../conflict/types'
import type { RowVersion } from '../protocol/messages'
import type { KeyedRecord } from '../storage/engine'

/** Keys listed per kind in inspect() at most. */
export const INSPECT_KEYS_MAX = 64

export class KeyStats {
  private readonly withSiblings = new Set<string>()
  /** CRDT keys and the last row of each this node made durable (its own state, for inspect()). */
  private readonly crdt = new Map<string, KeyedRecord['record']>()

  constructor(private readonly mode: ConflictMode) {}

  /** The rows of one durable commit. */
  note(records: readonly KeyedRecord[]): void {
    if (this.mode.name === 'lww') return
    for (const { key, record } of records) {
      const d = this.mode.describe(key, record)
      if (!d) continue
      if ('crdt' in d) this.crdt.set(key, record)
      else if (d.siblings > 1) this.withSiblings.add(key)
      else this.withSiblings.delete(key)
    }
  }

  /**
   * What inspect() shows of the merging keys (at most INSPECT_KEYS_MAX of each): the keys holding
   * siblings, and each CRDT key's state on this node with its value. Null in LWW clusters.
   */
  inspect(): {
    siblingKeys: string[]
    crdt: Record<string, { type: string; value: unknown; state: unknown }>
  } | null {
    if (this.mode.name === 'lww') return null
    const crdt: Record<string, { type: string; value: unknown; state: unknown }> = {}
    for (const [key, record] of [...this.crdt].slice(0, INSPECT_KEYS_MAX)) {
      // The record itself (its parsed state is cached per record object); present reads value and tombstone.
      const view = this.mode.present(key, record as unknown as RowVersion)
      if (view?.kind === 'crdt') crdt[key] = { type: view.type, value: view.value, state: view.state }
    }
    return { siblingKeys: [...this.withSiblings].slice(0, INSPECT_KEYS_MAX), crdt }
  }

  /** Absent in LWW clusters (the card then shows nothing for them). */
  snapshot(): { siblingKeys: number; crdtKeys: number } | undefined {
    if (this.mode.name === 'lww') return undefined
    return { siblingKeys: this.withSiblings.size, crdtKeys: this.crdt.size }
  }
}
