/**
 * Checkpoints for time travel: simulator runs of the timeline kept paused at fixed instants (every
 * `spacingMs`, and the end of a frozen timeline), rolled in the background by re-executing the
 * document from t = 0 in small slices. A scrub back takes the nearest one at or before its target and
 * replays only the rest, so its cost is bounded by the spacing, not by the target's time.
 *
 * Why live runs and not serialised snapshots: the simulator's queue holds closures and every node
 * holds pending promises, so the core has no state that can be copied (ARCHITECTURE.md, time travel).
 * A checkpoint is used once (the scrubber moves on from it); the pool rolls a fresh one in its place.
 * The run the scrubber leaves is handed back as a spare at its instant when it is still a clean run of
 * the timeline, so moving back and forth between two moments replays nothing.
 * Host-free: the page injects how to yield between slices (an idle callback), Node tests a resolved
 * promise.
 */
import { SimScenarioRun } from './replay'
import type { ScenarioDoc } from './schema'

export interface CheckpointOptions {
  /** Checkpoints sit at multiples of this; it doubles while the timeline would need more than `countMax`. */
  spacingMs: number
  countMax: number
  /** Virtual ms replayed per background slice between two yields. */
  sliceMs: number
  /** Lets the host breathe between slices (the page: an idle callback); resolves when rolling may go on. */
  yieldSlice: () => Promise<void>
}

/** Runs the scrubber handed back kept at once (back and forth between two moments costs no replay). */
const SPARES_MAX = 2

export const CHECKPOINT_DEFAULTS: Omit<CheckpointOptions, 'yieldSlice'> = {
  spacingMs: 10_000,
  countMax: 8,
  sliceMs: 500,
}

/** The document's header and every step at or before `tMs` are the same in both (a run to tMs of one is a run of the other). */
export function agreesUpTo(a: ScenarioDoc, b: ScenarioDoc, tMs: number): boolean {
  if (a === b) return tMs <= b.durationMs
  if (tMs > a.durationMs || tMs > b.durationMs) return false
  if (a.seed !== b.seed || a.runtime !== b.runtime) return false
  if (JSON.stringify(a.options) !== JSON.stringify(b.options)) return false
  if (JSON.stringify(a.workload) !== JSON.stringify(b.workload)) return false
  // Steps are in time order; the recorder's copies share step objects, so most compare by identity.
  const n = countUpTo(a, tMs)
  if (countUpTo(b, tMs) !== n) return false
  for (let i = 0; i < n; i++) {
    const x = a.steps[i]
    const y = b.steps[i]
    if (x !== y && JSON.stringify(x) !== JSON.stringify(y)) return false
  }
  return true
}

function countUpTo(d: ScenarioDoc, tMs: number): number {
  let n = 0
  while (n < d.steps.length && d.steps[n].at <= tMs) n++
  return n
}

/** The instants a timeline ending at `endMs` keeps checkpoints at (a frozen one: its end too). */
export function plannedTimesMs(
  endMs: number,
  frozen: boolean,
  o: Pick<CheckpointOptions, 'spacingMs' | 'countMax'>,
): number[] {
  let spacing = o.spacingMs
  // Powers of two of the base spacing: a coarser plan keeps a subset of the finer one's checkpoints.
  while (endMs / spacing > o.countMax) spacing *= 2
  const out: number[] = []
  for (let t = spacing; t < endMs; t += spacing) out.push(t)
  if (frozen && endMs > 0) out.push(endMs)
  return out
}

export class CheckpointPool {
  private doc: ScenarioDoc | null = null
  private frozen = false
  private readonly ready: SimScenarioRun[] = []
  /** Runs handed back by the scrubber where it left them (at any instant), newest last. */
  private readonly spares: SimScenarioRun[] = []
  private rollingMs: number | null = null
  private holds = 0
  private pumping = false
  private disposed = false
  private wake: (() => void) | null = null
  /** Runs rolled to completion (for tests and the bench). */
  rolled = 0

  constructor(private readonly o: CheckpointOptions) {}

  /**
   * The timeline to keep checkpoints for: the live recording so far (its end is now), or the whole
   * timeline frozen when the scrubber took it. Checkpoints that disagree with it are dropped.
   */
  setTimeline(doc: ScenarioDoc, frozen: boolean): void {
    if (this.disposed) return
    this.doc = doc
    this.frozen = frozen
    const planned = new Set(this.planned())
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const r = this.ready[i]
      if (!planned.has(r.nowMs) || !agreesUpTo(r.doc, doc, r.nowMs)) {
        this.ready.splice(i, 1)
        void r.shutdown()
      }
    }
    for (let i = this.spares.length - 1; i >= 0; i--) {
      const r = this.spares[i]
      if (!agreesUpTo(r.doc, doc, r.nowMs)) {
        this.spares.splice(i, 1)
        void r.shutdown()
      }
    }
    this.kick()
  }

  /**
   * Keeps a run the scrubber is leaving as a checkpoint at its instant, when it is a clean run of
   * `doc` there: it applied exactly `doc`'s steps up to now (no call made on it outside the replay,
   * as a branch's would be). True when kept (the pool shuts it down later); false: the caller does.
   */
  adopt(run: SimScenarioRun, doc: ScenarioDoc): boolean {
    if (this.disposed || !agreesUpTo(run.doc, doc, run.nowMs)) return false
    if (run.applied !== doc.steps.filter((x) => x.at <= run.nowMs).length) return false
    run.rebase(doc)
    this.spares.push(run)
    while (this.spares.length > SPARES_MAX) void this.spares.shift()!.shutdown()
    return true
  }

  /** Forgets the timeline and shuts every checkpoint down (the page left the simulator). */
  clear(): void {
    this.doc = null
    for (const r of [...this.ready.splice(0), ...this.spares.splice(0)]) void r.shutdown()
    this.kick()
  }

  /** The instants with a checkpoint ready (spares included), ascending. */
  readyTimesMs(): number[] {
    return [...this.ready, ...this.spares].map((r) => r.nowMs).sort((a, b) => a - b)
  }

  /** The latest instant at or before `tMs` with a checkpoint ready for `doc`, or null. */
  bestMs(tMs: number, doc: ScenarioDoc): number | null {
    let best: number | null = null
    for (const r of [...this.ready, ...this.spares])
      if (r.nowMs <= tMs && (best === null || r.nowMs > best) && agreesUpTo(r.doc, doc, r.nowMs))
        best = r.nowMs
    return best
  }

  /**
   * Hands over the checkpoint nearest before `tMs` (rebased onto `doc`, ready to `runTo(tMs)`), or
   * null when none is ready. The pool rolls a replacement later.
   */
  take(tMs: number, doc: ScenarioDoc): SimScenarioRun | null {
    const at = this.bestMs(tMs, doc)
    if (at === null) return null
    const fits = (r: SimScenarioRun) => r.nowMs === at && agreesUpTo(r.doc, doc, at)
    // A spare first: taking it costs no rolling.
    const j = this.spares.findIndex(fits)
    const [run] = j >= 0 ? this.spares.splice(j, 1) : this.ready.splice(this.ready.findIndex(fits), 1)
    run.rebase(doc)
    this.kick()
    return run
  }

  /** Stops background rolling until the returned release is called (a scrub wants the CPU). */
  hold(): () => void {
    this.holds++
    let done = false
    return () => {
      if (done) return
      done = true
      this.holds--
      this.kick()
    }
  }

  /** Shuts every checkpoint down; the pool rolls nothing more. */
  async dispose(): Promise<void> {
    this.disposed = true
    this.kick()
    const all = [...this.ready.splice(0), ...this.spares.splice(0)]
    await Promise.all(all.map((r) => r.shutdown()))
  }

  /** Resolves when every planned checkpoint is ready (tests, the bench), or after `maxSlices` yields. */
  async whenReady(maxSlices = 100_000): Promise<boolean> {
    for (let i = 0; i < maxSlices; i++) {
      if (this.missing() === null && this.rollingMs === null) return true
      await this.o.yieldSlice()
    }
    return false
  }

  private planned(): number[] {
    if (!this.doc) return []
    return plannedTimesMs(this.doc.durationMs, this.frozen, this.o)
  }

  /** The earliest planned instant with no checkpoint (the cheapest to roll), or null. */
  private missing(): number | null {
    const have = new Set(this.ready.map((r) => r.nowMs))
    for (const t of this.planned()) if (!have.has(t) && t !== this.rollingMs) return t
    return null
  }

  private kick(): void {
    const w = this.wake
    this.wake = null
    w?.()
    if (!this.pumping && !this.disposed) void this.pump()
  }

  private async pump(): Promise<void> {
    this.pumping = true
    try {
      while (!this.disposed) {
        const want = this.holds === 0 ? this.missing() : null
        if (want === null) {
          await new Promise<void>((r) => {
            this.wake = r
          })
          continue
        }
        await this.roll(want)
      }
    } finally {
      this.pumping = false
    }
  }

  /** Re-executes the timeline from t = 0 to `atMs` in slices, yielding between them. */
  private async roll(atMs: number): Promise<void> {
    const doc = this.doc!
    this.rollingMs = atMs
    const run = await SimScenarioRun.start(doc)
    try {
      while (run.nowMs < atMs) {
        await this.o.yieldSlice()
        while (this.holds > 0 && !this.disposed) await new Promise<void>((r) => (this.wake = r))
        // The timeline moved on in a way this run cannot follow (a branch, another cluster): drop it.
        if (this.disposed || !this.doc || !agreesUpTo(doc, this.doc, atMs)) return void (await run.shutdown())
        await run.runTo(Math.min(atMs, run.nowMs + this.o.sliceMs))
      }
      if (this.disposed || !this.doc || !agreesUpTo(doc, this.doc, atMs) || !this.planned().includes(atMs))
        return void (await run.shutdown())
      this.ready.push(run)
      this.rolled++
    } finally {
      this.rollingMs = null
    }
  }
}
