/**
 * Hands `write` the latest of the values pushed, at most once per `everyMs()` (read on each push; 0
 * writes at once): the first push after a quiet interval is written at once, later ones wait and
 * only the newest is written when the interval ends. For store writes that carry a running count
 * (the live verdict, the checker's feed): every store write runs every subscribed selector, and at
 * 32 nodes those writes cost the page a quarter of its script time (scripts/probe-frames.mjs).
 */
/** From this many nodes the cards are compact and the page's running counts are held to once a second. */
export const LARGE_CLUSTER_NODES = 13
export const LARGE_WRITE_EVERY_MS = 1000

export class LatestEvery<T> {
  private lastMs = Number.NEGATIVE_INFINITY
  private pending: { value: T } | null = null
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly write: (value: T) => void,
    private readonly everyMs: () => number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  push(value: T): void {
    const every = this.everyMs()
    const now = this.nowMs()
    if (every <= 0 || (this.timer === null && now - this.lastMs >= every)) {
      this.lastMs = now
      this.write(value)
      return
    }
    this.pending = { value }
    if (this.timer === null)
      this.timer = setTimeout(() => this.flush(), Math.max(0, every - (now - this.lastMs)))
  }

  /** Drops a waiting value (a new cluster: the old one's verdict must not land on it). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.pending = null
  }

  /** Writes a waiting value now (a reader needs the newest one). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const p = this.pending
    this.pending = null
    if (!p) return
    this.lastMs = this.nowMs()
    this.write(p.value)
  }
}
