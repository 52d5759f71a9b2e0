/**
 * Reads SSTables: loads blocks through the LRU block cache, answers point lookups with the Bloom
 * filter and sparse index, and opens cursors for scans and compaction. A block that vanished (a
 * compaction replaced its table while a read was in flight) raises a retryable error.
 */
import type { Disk } from '../disk/disk'
import { dbError, isDbError } from '../errors'
import { BlockCache } from './blockCache'
import { bloomMayContain } from './bloomFilter'
import { columnsProblem } from './checksum'
import type { StoredRecord } from './engine'
import type { RecordCursor } from './mergeCursor'
import {
  type Block,
  blockKey,
  findBlock,
  lowerBound,
  recordAt,
  type TableMeta,
  tableOfBlockKey,
} from './tableFormat'

const BLOCK_GONE = 'block-gone'
const NOT_HERE: { record: undefined } = Object.freeze({ record: undefined })
/** What a quarantined block reads as: nothing (its rows are recovered from peers by the owner). */
const EMPTY_BLOCK: Block = Object.freeze({
  keys: [],
  values: [],
  metas: [],
  tombstones: new Uint8Array(0),
  writtenAtMs: new Float64Array(0),
}) as Block

/** A block that failed its checksum or shape check, and the keys it may have held. */
export interface CorruptBlock {
  tableId: number
  blockNo: number
  problem: string
  /** Keys in [firstKey, endKey) — or [firstKey, lastKey] for a table's last block — were in it. */
  firstKey: string
  endKey?: string
  lastKey?: string
  detectedAtMs: number
}

/** True when `key` may have been held by a corrupt block. */
export function corruptBlockHolds(c: CorruptBlock, key: string): boolean {
  return key >= c.firstKey && (c.endKey !== undefined ? key < c.endKey : key <= (c.lastKey ?? c.firstKey))
}

/** True when a read failed because its table was compacted away; retry against the new tables. */
export function isBlockGone(e: unknown): boolean {
  return isDbError(e) && e.code === 'STORAGE_CORRUPT' && e.details?.reason === BLOCK_GONE
}

export class TableReader {
  readonly cache: BlockCache<Block>
  /** Blocks found corrupt, by block key: never served again, read as empty. */
  readonly quarantined = new Map<number, CorruptBlock>()
  /** Called once per block found corrupt (the owner recovers its rows from peers). */
  onCorrupt: (c: CorruptBlock) => void = () => {}
  nowMs: () => number = () => 0
  private readonly disk: Disk

  constructor(disk: Disk, cacheBytesMax: number) {
    this.disk = disk
    this.cache = new BlockCache<Block>(cacheBytesMax)
  }

  /**
   * Checks a block read from disk; a bad one is quarantined and reported, and `null` returned. A
   * block of a checksummed table must carry its CRC; legacy tables get the shape check only.
   */
  private verify(meta: TableMeta, blockNo: number, raw: unknown): Block | null {
    let problem = columnsProblem(raw)
    if (!problem && meta.checksums && (raw as Block).crc === undefined) problem = 'checksum is missing'
    if (!problem) return raw as Block
    const last = blockNo === meta.blockFirstKeys.length - 1
    const c: CorruptBlock = {
      tableId: meta.id,
      blockNo,
      problem,
      firstKey: meta.blockFirstKeys[blockNo],
      endKey: last ? undefined : meta.blockFirstKeys[blockNo + 1],
      lastKey: last ? meta.maxKey : undefined,
      detectedAtMs: this.nowMs(),
    }
    this.quarantined.set(blockKey(meta.id, blockNo), c)
    this.onCorrupt(c)
    return null
  }

  private corruptError(meta: TableMeta, blockNo: number): Error {
    const c = this.quarantined.get(blockKey(meta.id, blockNo))
    return dbError('STORAGE_CORRUPT', `block ${meta.id}/${blockNo} is corrupt (${c?.problem}); not served`, {
      reason: 'corrupt-block',
      tableId: meta.id,
      blockNo,
    })
  }

  /** Loads a block, through the cache unless `useCache` is false (compaction streams past it). */
  async loadBlock(meta: TableMeta, blockNo: number, useCache = true): Promise<Block> {
    const key = blockKey(meta.id, blockNo)
    if (useCache) {
      const hit = this.cache.get(key)
      if (hit) return hit
    }
    if (this.quarantined.has(key)) return EMPTY_BLOCK
    const raw = await this.disk.get('sst', key)
    if (raw === undefined)
      throw dbError('STORAGE_CORRUPT', `block ${meta.id}/${blockNo} is missing`, { reason: BLOCK_GONE })
    const block = this.verify(meta, blockNo, raw)
    // The read that finds the corruption fails (the caller asks another replica); later ones skip it.
    if (!block) throw this.corruptError(meta, blockNo)
    if (useCache) this.cache.set(key, block, meta.blockBytes[blockNo])
    return block
  }

  /**
   * Loads blocks [from, from + count) of a table with one range read (scan readahead), through the
   * cache when `useCache` (a cached first block is returned alone, without touching the disk).
   */
  async loadBlocks(meta: TableMeta, from: number, count: number, useCache: boolean): Promise<Block[]> {
    if (useCache) {
      const hit = this.cache.get(blockKey(meta.id, from))
      if (hit) return [hit]
    }
    const last = Math.min(from + count, meta.blockFirstKeys.length) - 1
    const entries = await this.disk.getRange('sst', {
      lower: blockKey(meta.id, from),
      upper: blockKey(meta.id, last),
    })
    if (entries.length !== last - from + 1) {
      throw dbError('STORAGE_CORRUPT', `blocks of table ${meta.id} are missing`, { reason: BLOCK_GONE })
    }
    // Scans and compaction skip a corrupt block (reported to the owner, which recovers its rows).
    const blocks = entries.map((e, i) =>
      this.quarantined.has(blockKey(meta.id, from + i))
        ? EMPTY_BLOCK
        : (this.verify(meta, from + i, e.value) ?? EMPTY_BLOCK),
    )
    if (useCache) {
      for (let i = 0; i < blocks.length; i++)
        if (blocks[i] !== EMPTY_BLOCK)
          this.cache.set(blockKey(meta.id, from + i), blocks[i], meta.blockBytes[from + i])
    }
    return blocks
  }

  /** The record for `key` in this table, if it holds one. */
  async get(meta: TableMeta, key: string, hashes: [number, number]): Promise<StoredRecord | undefined> {
    if (key < meta.minKey || key > meta.maxKey || !bloomMayContain(meta.bloom, hashes)) return undefined
    const blockNo = findBlock(meta, key)
    if (blockNo < 0) return undefined
    const block = await this.loadBlock(meta, blockNo)
    const i = lowerBound(block.keys, key)
    return block.keys[i] === key ? recordAt(block, i) : undefined
  }

  /** `get` from the block cache only: null when the block that may hold `key` is not cached. */
  peek(meta: TableMeta, key: string, hashes: [number, number]): { record: StoredRecord | undefined } | null {
    if (key < meta.minKey || key > meta.maxKey || !bloomMayContain(meta.bloom, hashes)) return NOT_HERE
    const blockNo = findBlock(meta, key)
    if (blockNo < 0) return NOT_HERE
    const block = this.cache.get(blockKey(meta.id, blockNo))
    if (!block) return this.quarantined.has(blockKey(meta.id, blockNo)) ? NOT_HERE : null
    const i = lowerBound(block.keys, key)
    return block.keys[i] === key ? { record: recordAt(block, i) } : NOT_HERE
  }

  /** A cursor positioned at the first key >= start. */
  async cursor(meta: TableMeta, start?: string, useCache = true): Promise<RecordCursor> {
    const c = new TableCursor(meta, (from, count) => this.loadBlocks(meta, from, count, useCache))
    await c.seek(start)
    return c
  }

  /** Forgets cached (and quarantined) blocks of tables that no longer exist. */
  evictTables(ids: ReadonlySet<number>): void {
    this.cache.deleteWhere((key) => ids.has(tableOfBlockKey(key)))
    for (const key of [...this.quarantined.keys()])
      if (ids.has(tableOfBlockKey(key))) this.quarantined.delete(key)
  }
}

/** Blocks a cursor reads ahead at most; readahead doubles from 1 so short scans stay cheap. */
const READAHEAD_BLOCKS_MAX = 16

class TableCursor implements RecordCursor {
  key: string | undefined
  private block: Block | null = null
  private blockNo = 0
  private index = 0
  private ahead: Block[] = []
  private aheadFrom = 0
  private readahead = 1
  private readonly meta: TableMeta
  private readonly load: (from: number, count: number) => Promise<Block[]>

  constructor(meta: TableMeta, load: (from: number, count: number) => Promise<Block[]>) {
    this.meta = meta
    this.load = load
  }

  get record(): StoredRecord {
    return recordAt(this.block!, this.index)
  }

  async seek(start?: string): Promise<void> {
    this.blockNo = start === undefined ? 0 : Math.max(0, findBlock(this.meta, start))
    if (this.blockNo >= this.meta.blockFirstKeys.length) {
      this.key = undefined
      return
    }
    this.block = await this.blockAt(this.blockNo)
    this.index = start === undefined ? 0 : lowerBound(this.block.keys, start)
    if (this.index < this.block.keys.length) this.key = this.block.keys[this.index]
    else await this.nextBlock()
  }

  next(): void | Promise<void> {
    this.index++
    if (this.index < this.block!.keys.length) {
      this.key = this.block!.keys[this.index]
      return
    }
    return this.nextBlock()
  }

  private async blockAt(n: number): Promise<Block> {
    const buffered = this.ahead[n - this.aheadFrom]
    if (buffered) return buffered
    this.ahead = await this.load(n, this.readahead)
    this.aheadFrom = n
    this.readahead = Math.min(this.readahead * 2, READAHEAD_BLOCKS_MAX)
    return this.ahead[0]
  }

  /** Moves to the next block that holds entries (quarantined blocks read as empty). */
  private async nextBlock(): Promise<void> {
    for (;;) {
      this.blockNo++
      if (this.blockNo >= this.meta.blockFirstKeys.length) {
        this.key = undefined
        this.block = null
        this.ahead = []
        return
      }
      this.block = await this.blockAt(this.blockNo)
      this.index = 0
      if (this.block.keys.length > 0) {
        this.key = this.block.keys[0]
        return
      }
    }
  }
}
