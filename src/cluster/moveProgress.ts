/**
 * Progress of data movements (add/remove node, split, merge, transfer, rebalance): every move runs a
 * copy pass (rows to their new owners; the new map is published when it ends) and a catch-up pass
 * (writes acknowledged meanwhile). Each pass is counted before it streams, so totals are known up
 * front and the ETA is the remaining bytes over the rate each streaming node was given.
 */
import { toErrorData } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { MovedPartition } from './moveDiff'

export type MoveKind = 'add-node' | 'remove-node' | 'split' | 'merge' | 'transfer' | 'rebalance'
export type MovePhase = 'copying' | 'catching-up' | 'done' | 'failed'
export type MovePass = 'copy' | 'catch-up'

export interface PassProgress {
  bytesDone: number
  bytesTotal: number
  keysDone: number
  keysTotal: number
}

/** One data movement as `inspect()` and the dashboard report it. */
export interface MoveProgress extends PassProgress {
  id: number
  kind: MoveKind
  /** What was asked, in words: "add node_5", "split partition 0 at 'g'". */
  label: string
  phase: MovePhase
  /** Partitions of the new map that gain a replica, with their key range or token arc. */
  partitions: MovedPartition[]
  /** Nodes that held the moved ranges / nodes that receive them. */
  from: NodeId[]
  to: NodeId[]
  /** bytes/keys above are the copy pass (rows sent to new owners; a row to two owners counts twice). */
  catchUp: PassProgress | null
  /** Until the current pass ends (ms of cluster time); null when unknown (no rate and nothing sent yet). */
  etaMs: number | null
  /**
   * Until the whole move ends: while copying, the catch-up pass is estimated to take as long as the
   * copy (it re-sends the rows still on their old owners, plus writes made meanwhile).
   */
  etaDoneMs: number | null
  /** The cluster's maxTransferRate when the pass began (0 = unlimited). */
  rateBytesPerSec: number
  startedAtMs: number
  /** When the new map was pushed to the nodes (end of the copy pass). */
  publishedAtMs: number | null
  /** Map version after the move. */
  mapVersion: number
  /** Map version before the move: the published map while it copies (partitions' `wasIds` index it). */
  fromMapVersion: number
  finishedAtMs: number | null
  durationMs: number | null
  error: { code: string; message: string } | null
}

export interface MovesView {
  active: MoveProgress[]
  /** Finished moves, newest first (at most RECENT_MAX). */
  recent: MoveProgress[]
}

const RECENT_MAX = 10

interface NodeShare {
  rows: number
  bytes: number
  rowsDone: number
  bytesDone: number
  bytesPerSec: number
}

/** A running move: the runtimes report counts and progress into it. */
export class MoveRecord {
  private pass: MovePass = 'copy'
  private shares = new Map<NodeId, NodeShare>()
  private passStartMs = 0
  readonly data: MoveProgress

  constructor(
    init: Pick<
      MoveProgress,
      'id' | 'kind' | 'label' | 'partitions' | 'mapVersion' | 'fromMapVersion' | 'rateBytesPerSec'
    >,
    private readonly clockMs: () => number,
    private readonly onEnd: (m: MoveRecord) => void,
  ) {
    const from = new Set<NodeId>()
    const to = new Set<NodeId>()
    for (const p of init.partitions) {
      for (const f of p.from) from.add(f)
      for (const t of p.to) to.add(t)
    }
    this.data = {
      ...init,
      phase: 'copying',
      from: [...from].sort(),
      to: [...to].sort(),
      bytesDone: 0,
      bytesTotal: 0,
      keysDone: 0,
      keysTotal: 0,
      catchUp: null,
      etaMs: null,
      etaDoneMs: null,
      startedAtMs: clockMs(),
      publishedAtMs: null,
      finishedAtMs: null,
      durationMs: null,
      error: null,
    }
  }

  /** The pass about to stream: copy until the map is published, catch-up after. */
  get currentPass(): MovePass {
    return this.pass
  }

  /** A pass begins: what each streaming node counted and the rate it was given. */
  beginPass(nodes: ReadonlyArray<{ node: NodeId; rows: number; bytes: number; bytesPerSec: number }>): void {
    this.shares = new Map(nodes.map((n) => [n.node, { ...n, rowsDone: 0, bytesDone: 0 }]))
    this.passStartMs = this.clockMs()
    this.sum()
  }

  /** A node's progress in the current pass (absolute; never goes back). */
  progress(node: NodeId, rowsDone: number, bytesDone: number): void {
    const s = this.shares.get(node)
    if (!s) return
    s.rowsDone = Math.max(s.rowsDone, rowsDone)
    s.bytesDone = Math.max(s.bytesDone, bytesDone)
    // Rows written after the count streamed too: the total grows rather than the bar passing 100%.
    s.rows = Math.max(s.rows, s.rowsDone)
    s.bytes = Math.max(s.bytes, s.bytesDone)
    this.sum()
  }

  /** The copy pass ended and the new map was pushed to the nodes. */
  published(mapVersion: number): void {
    this.data.publishedAtMs = this.clockMs()
    this.data.mapVersion = mapVersion
    this.data.phase = 'catching-up'
    this.pass = 'catch-up'
    this.data.catchUp = { bytesDone: 0, bytesTotal: 0, keysDone: 0, keysTotal: 0 }
    this.shares = new Map()
    this.data.etaMs = null
    this.data.etaDoneMs = null
  }

  finish(): void {
    this.end('done')
  }

  fail(e: unknown): void {
    const d = toErrorData(e)
    this.data.error = { code: d.code, message: d.message }
    this.end('failed')
  }

  /** A copy with the ETA as of now. */
  view(): MoveProgress {
    if (this.data.finishedAtMs === null) {
      const eta = this.eta()
      this.data.etaMs = eta
      const copyMs = this.clockMs() - this.passStartMs + (eta ?? 0)
      this.data.etaDoneMs = eta === null ? null : this.pass === 'copy' ? eta + copyMs : eta
    }
    return {
      ...this.data,
      partitions: this.data.partitions,
      catchUp: this.data.catchUp && { ...this.data.catchUp },
    }
  }

  private end(phase: 'done' | 'failed'): void {
    if (this.data.finishedAtMs !== null) return
    this.data.phase = phase
    this.data.finishedAtMs = this.clockMs()
    this.data.durationMs = this.data.finishedAtMs - this.data.startedAtMs
    this.data.etaMs = 0
    this.data.etaDoneMs = 0
    this.onEnd(this)
  }

  private sum(): void {
    const p: PassProgress = { bytesDone: 0, bytesTotal: 0, keysDone: 0, keysTotal: 0 }
    for (const s of this.shares.values()) {
      p.bytesDone += s.bytesDone
      p.bytesTotal += s.bytes
      p.keysDone += s.rowsDone
      p.keysTotal += s.rows
    }
    if (this.pass === 'copy') Object.assign(this.data, p)
    else this.data.catchUp = p
  }

  /** The slowest streaming node's remaining bytes over its rate (or over its observed speed). */
  private eta(): number | null {
    let worst = 0
    const elapsedMs = this.clockMs() - this.passStartMs
    for (const s of this.shares.values()) {
      const left = s.bytes - s.bytesDone
      if (left <= 0) continue
      if (s.bytesPerSec > 0) worst = Math.max(worst, (left / s.bytesPerSec) * 1000)
      else if (s.bytesDone > 0 && elapsedMs > 0) worst = Math.max(worst, (left * elapsedMs) / s.bytesDone)
      else return null
    }
    return worst
  }
}

/** Every move of one cluster: the running ones and the last few finished. */
export class MoveTracker {
  private nextId = 1
  private readonly active: MoveRecord[] = []
  private readonly recent: MoveRecord[] = []

  constructor(private readonly clockMs: () => number) {}

  start(init: Omit<ConstructorParameters<typeof MoveRecord>[0], 'id'>): MoveRecord {
    const m = new MoveRecord({ ...init, id: this.nextId++ }, this.clockMs, (done) => {
      this.active.splice(this.active.indexOf(done), 1)
      this.recent.unshift(done)
      if (this.recent.length > RECENT_MAX) this.recent.pop()
    })
    this.active.push(m)
    return m
  }

  view(): MovesView {
    return { active: this.active.map((m) => m.view()), recent: this.recent.map((m) => m.view()) }
  }
}

/**
 * Splits the cluster's rate over the streaming nodes in proportion to what each counted, so they
 * finish together at ~B / rate; a node that counted nothing keeps a small share for rows written
 * meanwhile. The shares sum to `bytesPerSec` (0 = unlimited for all).
 */
export function shareRate(bytesPerSec: number, bytes: readonly number[]): number[] {
  if (!(bytesPerSec > 0) || bytes.length === 0) return bytes.map(() => 0)
  const total = bytes.reduce((a, b) => a + b, 0)
  const floor = Math.max(1, total) / (20 * bytes.length)
  const weights = bytes.map((b) => b + floor)
  const sum = weights.reduce((a, b) => a + b, 0)
  return weights.map((w) => (bytesPerSec * w) / sum)
}
