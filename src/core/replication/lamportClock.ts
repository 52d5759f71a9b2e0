/**
 * The node's timestamp source. Lamport (default): tick on a local write, max(local, received)+1 on
 * receive. Wall clock: the node's (possibly skewed) clock — a fault users can switch on to watch skew
 * make LWW lose writes.
 */
export type TimestampSource = 'lamport' | 'wallclock'

export class LamportClock {
  constructor(
    private value: number,
    private readonly source: TimestampSource,
    private readonly wallMs: () => number,
  ) {}

  /**
   * True when every timestamp `tick()` returns exceeds every timestamp this node has seen or issued
   * (Lamport): a local write is then newer than any version it holds, without reading it first.
   */
  get ticksPastAllSeen(): boolean {
    return this.source === 'lamport'
  }

  get time(): number {
    return this.value
  }

  /** A timestamp for a new local write. */
  tick(): number {
    if (this.source === 'wallclock') {
      this.value = Math.max(this.value, Math.floor(this.wallMs()))
      return Math.floor(this.wallMs())
    }
    this.value += 1
    return this.value
  }

  /** Merges a received timestamp. */
  receive(ts: number): void {
    this.value = Math.max(this.value, ts) + (this.source === 'lamport' ? 1 : 0)
  }
}
