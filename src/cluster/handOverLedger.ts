/**
 * Which map each node's rows are laid out by, and the hand-overs nodes still owe. A membership
 * change streams rows before it publishes its map (handOff.ts), but only from the nodes that are up
 * then, and its catch-up pass (the writes acknowledged meanwhile) may fail on a cut link. A node that
 * missed either still holds rows only it has, under a map that moved on: at N = 1 they read null.
 * The elastic sweep found exactly that (a partition transferred away from a down node; a node killed
 * during a join). So every node's layout is recorded here, and a node whose layout is older than the
 * published map streams from its own layout to the published one — when it restarts, resumes, after a
 * heal, and after each change — retrying until it succeeds. Streaming is idempotent (LWW merges), so
 * paying twice is harmless.
 */
import type { NodeId } from '../core/ids'
import type { HashRing } from '../core/ring/hashRing'

/** A map rows are laid out by: the ring and its N. */
export interface Layout {
  ring: HashRing
  n: number
}

/** How a move's catch-up pass streams a node's first attempt: its share of the rate, its progress. */
export interface PassOptions {
  bytesPerSec: number
  /** Rows and bytes acknowledged so far (absolute). */
  onProgress(rows: number, bytes: number): void
}

export interface LedgerHost {
  /** The map the nodes are configured with now. */
  published(): Layout
  /**
   * Streams `id`'s rows from `from` to `to` (rejects on failure); null when `id` is not up. `pass`:
   * a move's catch-up (otherwise the runtime's default rate, no progress).
   */
  stream(id: NodeId, from: Layout, to: Layout, pass?: PassOptions): Promise<unknown> | null
  /** Runs `fn` after `ms` (virtual time in the simulator). */
  later(ms: number, fn: () => void): void
  /** How long an op routed by an old map can take to land or time out (the second pass waits it). */
  readonly lateMs: number
}

/** Tries per round before a node stops retrying (a heal, restart, resume or change starts a new round). */
const TRIES_MAX = 30
const RETRY_MS = 2000

const same = (a: Layout, b: Layout): boolean => a.ring === b.ring && a.n === b.n

export class HandOverLedger {
  private readonly laidOut = new Map<NodeId, Layout>()
  private readonly paying = new Map<NodeId, Promise<boolean>>()

  constructor(private readonly host: LedgerHost) {}

  /** `id`'s rows are laid out by `layout` (a cluster's first ring, a node joining empty). */
  set(id: NodeId, layout: Layout): void {
    this.laidOut.set(id, layout)
  }

  /** The map `id`'s rows are laid out by (undefined for a node the ledger does not know). */
  layoutOf(id: NodeId): Layout | undefined {
    return this.laidOut.get(id)
  }

  forget(id: NodeId): void {
    this.laidOut.delete(id)
  }

  /** True while `id` is streaming what it owes (settle waits for it). */
  busy(id: NodeId): boolean {
    return this.paying.has(id)
  }

  /** True when `id`'s rows are laid out by an older map than the published one. */
  owes(id: NodeId): boolean {
    const l = this.laidOut.get(id)
    return !!l && !same(l, this.host.published())
  }

  /**
   * Streams what `id` owes, retrying every 2 s up to 30 times; resolves true once its layout is the
   * published map (again after each change that lands meanwhile), false when it gave up or is down.
   * `once`: resolves after the first attempt (the retries go on in the background). `first`: how that
   * first attempt streams (a move's catch-up pass); ignored when `id` is already paying.
   */
  pay(id: NodeId, opts: { once?: boolean; first?: PassOptions } = {}): Promise<boolean> {
    let run = this.paying.get(id)
    if (!run) {
      let firstDone: (ok: boolean) => void = () => {}
      const first = new Promise<boolean>((r) => {
        firstDone = r
      })
      run = this.loop(id, firstDone, opts.first).finally(() => this.paying.delete(id))
      this.paying.set(id, run)
      if (opts.once) return first
      return run
    }
    return opts.once ? Promise.resolve(false) : run
  }

  /** pay() for every node in `ids` that owes, in the background. */
  payAll(ids: Iterable<NodeId>): void {
    for (const id of ids) if (this.owes(id)) void this.pay(id)
  }

  private async loop(id: NodeId, firstDone: (ok: boolean) => void, first?: PassOptions): Promise<boolean> {
    let reported = false
    const report = (ok: boolean): void => {
      if (!reported) firstDone(ok)
      reported = true
    }
    for (let tries = 0; tries < TRIES_MAX; ) {
      const from = this.laidOut.get(id)
      const to = this.host.published()
      if (!from || same(from, to)) {
        report(true)
        return true
      }
      const streaming = this.host.stream(id, from, to, reported ? undefined : first)
      if (!streaming) {
        report(false)
        return false
      }
      try {
        await streaming
        report(true)
        // Ops routed by the old map just before the publish may land here after the scan passed
        // their key (in flight, or in a group commit): stream once more when they have landed or
        // timed out (the elastic sweep's seed 266 lost one that reached a leaving node that way).
        await new Promise<void>((r) => this.host.later(this.host.lateMs, r))
        if (same(this.host.published(), to)) {
          const again = this.host.stream(id, from, to)
          if (!again) return false
          await again
        }
        // Laid out by `to` now (rows written since were placed by `to` too); loop in case it moved on.
        if (this.laidOut.get(id) === from) this.laidOut.set(id, to)
        tries = 0
      } catch {
        report(false)
        tries++
        await new Promise<void>((r) => this.host.later(RETRY_MS, r))
      }
    }
    return false
  }
}
