/**
 * Per-node counts for the dashboard's node card in the merging modes: keys holding more than one
 * sibling (`vector`) and CRDT keys (`crdt`). Updated from the rows each commit makes durable, so it
 * counts the keys written or merged since the node started (not the ones only recovered from disk).
 */
import type { ConflictMode } from '../conflict/types'
import type { KeyedRecord } from '../storage/engine'

export class KeyStats {
  private readonly withSiblings = new Set<string>()
  private readonly crdt = new Set<string>()

  constructor(private readonly mode: ConflictMode) {}

  /** The rows of one durable commit. */
  note(records: readonly KeyedRecord[]): void {
    if (this.mode.name === 'lww') return
    for (const { key, record } of records) {
      const d = this.mode.describe(key, record)
      if (!d) continue
      if ('crdt' in d) this.crdt.add(key)
      else if (d.siblings > 1) this.withSiblings.add(key)
      else this.withSiblings.delete(key)
    }
  }

  /** Absent in LWW clusters (the card then shows nothing for them). */
  snapshot(): { siblingKeys: number; crdtKeys: number } | undefined {
    if (this.mode.name === 'lww') return undefined
    return { siblingKeys: this.withSiblings.size, crdtKeys: this.crdt.size }
  }
}
