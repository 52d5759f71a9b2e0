/** A fixed-capacity ring buffer: the diagram keeps the newest messages and never grows past it. */
export class Ring<T> {
  private buf: T[] = []
  private start = 0
  /** Items ever pushed (those overwritten included). */
  total = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring capacity must be ≥ 1, got ${capacity}`)
  }

  get size(): number {
    return this.buf.length
  }

  /** Adds `x` as the newest item, overwriting the oldest when full. */
  push(x: T): void {
    this.total++
    if (this.buf.length < this.capacity) this.buf.push(x)
    else {
      this.buf[this.start] = x
      this.start = (this.start + 1) % this.capacity
    }
  }

  /** The item `i` places from the oldest (0 = oldest kept). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.buf.length) return undefined
    return this.buf[(this.start + i) % this.buf.length]
  }

  /** Calls `fn` from the newest item back; stops when it returns false. */
  eachNewestFirst(fn: (x: T) => boolean | undefined): void {
    for (let i = this.buf.length - 1; i >= 0; i--) {
      if (fn(this.buf[(this.start + i) % this.buf.length]) === false) return
    }
  }

  /** Items oldest first (a copy). */
  toArray(): T[] {
    return this.buf.slice(this.start).concat(this.buf.slice(0, this.start))
  }

  /** Keeps only the items `keep` accepts (oldest first; O(size)). */
  retain(keep: (x: T) => boolean): void {
    this.buf = this.toArray().filter(keep)
    this.start = 0
  }

  clear(): void {
    this.buf = []
    this.start = 0
    this.total = 0
  }
}
