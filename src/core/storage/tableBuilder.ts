/**
 * Builds one SSTable from records given in key order: cuts blocks at blockBytesMax, collects the
 * sparse index and key hashes, and produces the Disk ops (blocks + meta) at the end.
 */
import type { DiskOp } from '../disk/disk'
import { buildBloomFilter, keyHashes } from './bloomFilter'
import { columnsChecksum } from './checksum'
import type { StoredRecord } from './engine'
import { recordBytes } from './recordSize'
import { type Block, blockKey, metaKey, type TableMeta } from './tableFormat'

export interface BuiltTable {
  meta: TableMeta
  /** Puts of every block; the meta put is separate so compaction can publish it last. */
  blockOps: DiskOp[]
  metaOp: DiskOp
}

export class TableBuilder {
  readonly id: number
  bytes = 0
  private readonly blockBytesMax: number
  private readonly blockOps: DiskOp[] = []
  private readonly blockFirstKeys: string[] = []
  private readonly blockBytes: number[] = []
  private readonly h1s: number[] = []
  private readonly h2s: number[] = []
  private cur = emptyColumns()
  private curBytes = 0
  private entries = 0
  private tombstones = 0
  private minKey = ''
  private maxKey = ''

  constructor(id: number, blockBytesMax: number) {
    this.id = id
    this.blockBytesMax = blockBytesMax
  }

  /** Appends a record; keys must arrive in strictly ascending order. */
  add(key: string, record: StoredRecord): void {
    const bytes = recordBytes(key, record)
    if (this.cur.keys.length > 0 && this.curBytes + bytes > this.blockBytesMax) this.sealBlock()
    if (this.entries === 0) this.minKey = key
    this.maxKey = key
    this.cur.keys.push(key)
    this.cur.values.push(record.tombstone ? null : record.value)
    this.cur.metas.push(record.meta)
    this.cur.tombstones.push(record.tombstone ? 1 : 0)
    this.cur.writtenAtMs.push(record.writtenAtMs)
    this.curBytes += bytes
    this.bytes += bytes
    this.entries++
    if (record.tombstone) this.tombstones++
    const [h1, h2] = keyHashes(key)
    this.h1s.push(h1)
    this.h2s.push(h2)
  }

  get entryCount(): number {
    return this.entries
  }

  /** Seals the last block and returns the table; the builder must not be used afterwards. */
  /** Block writes sealed so far and not yet taken (a flush writes them while it builds the rest). */
  takeBlockOps(): DiskOp[] {
    return this.blockOps.splice(0)
  }

  finish(createdAtMs: number, bloomBitsPerKey: number): BuiltTable {
    if (this.cur.keys.length > 0) this.sealBlock()
    const meta: TableMeta = {
      id: this.id,
      entries: this.entries,
      tombstones: this.tombstones,
      bytes: this.bytes,
      minKey: this.minKey,
      maxKey: this.maxKey,
      blockFirstKeys: this.blockFirstKeys,
      blockBytes: this.blockBytes,
      bloom: buildBloomFilter(this.h1s, this.h2s, bloomBitsPerKey),
      createdAtMs,
      checksums: true,
    }
    return {
      meta,
      blockOps: this.blockOps,
      metaOp: { type: 'put', store: 'sst', key: metaKey(this.id), value: meta },
    }
  }

  private sealBlock(): void {
    const c = this.cur
    const block: Block = {
      keys: c.keys,
      values: c.values,
      metas: c.metas,
      tombstones: Uint8Array.from(c.tombstones),
      writtenAtMs: Float64Array.from(c.writtenAtMs),
    }
    block.crc = columnsChecksum(block)
    const blockNo = this.blockFirstKeys.length
    this.blockFirstKeys.push(c.keys[0])
    this.blockBytes.push(this.curBytes)
    this.blockOps.push({ type: 'put', store: 'sst', key: blockKey(this.id, blockNo), value: block })
    this.cur = emptyColumns()
    this.curBytes = 0
  }
}

function emptyColumns() {
  return {
    keys: [] as string[],
    values: [] as unknown[],
    metas: [] as unknown[],
    tombstones: [] as number[],
    writtenAtMs: [] as number[],
  }
}
