/** A bounded LRU cache of decoded table blocks (Map insertion order is the recency order). */

export class BlockCache<B> {
  bytes = 0
  hits = 0
  misses = 0
  private readonly entries = new Map<number, { block: B; bytes: number }>()
  private readonly bytesMax: number

  constructor(bytesMax: number) {
    this.bytesMax = bytesMax
  }

  get(key: number): B | undefined {
    const e = this.entries.get(key)
    if (!e) {
      this.misses++
      return undefined
    }
    this.hits++
    this.entries.delete(key)
    this.entries.set(key, e)
    return e.block
  }

  set(key: number, block: B, bytes: number): void {
    if (bytes > this.bytesMax) return
    this.delete(key)
    this.entries.set(key, { block, bytes })
    this.bytes += bytes
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.bytesMax) break
      this.entries.delete(k)
      this.bytes -= e.bytes
    }
  }

  delete(key: number): void {
    const e = this.entries.get(key)
    if (!e) return
    this.entries.delete(key)
    this.bytes -= e.bytes
  }

  /** Drops every cached block whose key satisfies `match` (blocks of deleted tables). */
  deleteWhere(match: (key: number) => boolean): void {
    for (const key of [...this.entries.keys()]) if (match(key)) this.delete(key)
  }
}
