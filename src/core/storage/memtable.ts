/**
 * The in-memory write buffer: a red-black tree of the newest record per key, with the byte total
 * that decides when to flush and the highest WAL sequence number it holds (what a flush may truncate).
 */
import type { StoredRecord } from './engine'
import type { RecordCursor } from './mergeCursor'
import { recordBytes } from './recordSize'
import { type RbNode, RedBlackTree, successor } from './redBlackTree'

export class Memtable {
  readonly tree = new RedBlackTree<StoredRecord>(recordBytes)
  /** Highest WAL sequence number applied here (0 = none). */
  maxSeq = 0
  /** WAL entries and bytes this memtable covers (freed when it is flushed). */
  walEntries = 0
  walBytes = 0
  /** The newest attachment among the WAL records applied here (StorageEngine.write). */
  attach: unknown = undefined

  get entries(): number {
    return this.tree.size
  }

  get bytes(): number {
    return this.tree.bytes
  }

  put(key: string, record: StoredRecord, seq: number): void {
    this.tree.set(key, record)
    if (seq > this.maxSeq) this.maxSeq = seq
  }

  get(key: string): StoredRecord | undefined {
    return this.tree.get(key)
  }

  /** A cursor from `start` that sees inserts made while it is open. */
  cursor(start?: string): RecordCursor {
    return new MemtableCursor(this.tree.seek(start))
  }
}

class MemtableCursor implements RecordCursor {
  private node: RbNode<StoredRecord> | null

  constructor(node: RbNode<StoredRecord> | null) {
    this.node = node
  }

  get key(): string | undefined {
    return this.node?.key
  }

  get record(): StoredRecord {
    return this.node!.value
  }

  next(): void {
    if (this.node) this.node = successor(this.node)
  }
}
