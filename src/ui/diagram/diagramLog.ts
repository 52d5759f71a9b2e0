/**
 * What the space-time diagram draws from, kept outside React and the store (the canvas reads it in
 * its own frames): a ring buffer of the traced messages, fault windows on the cluster's own clock
 * (virtual in the simulator), and how many of the messages sent it shows. Fed by the store's batch
 * apply and fault tick, whether the diagram is open or not, so opening it shows the recent past.
 */
import type { ClusterEvent } from '../../core/events'
import { type FaultChip, type FaultWindow, trackWindows } from '../model/faultsInEffect'
import { type DiagramMessage, messageFromEvent, samplingText } from './messages'
import { Ring } from './ring'

/** Messages kept (about 10 s of a 5-node simulator cluster at 200 ops/s; ~4 MB). */
export const DIAGRAM_MESSAGES_MAX = 20_000
/** The window the sampling note is measured over (page ms). */
export const SAMPLING_WINDOW_MS = 3000
/** Op id → key remembered for acks, which carry only ids. */
const OP_KEYS_MAX = 4096
/** A node-status event this close to a kill/pause window's edge moves the edge to it (cluster ms). */
const STATUS_SNAP_MS = 2000

interface StatusMark {
  node: string
  detail: string
  t: number
}

/**
 * Moves the edges of killed/paused windows to the node-status events that caused them: the fault tick
 * sees a kill up to 500 ms late, the node's own event has its exact time. Returns `windows` when
 * nothing moved.
 */
export function snapToStatus(windows: readonly FaultWindow[], marks: readonly StatusMark[]): FaultWindow[] {
  let out: FaultWindow[] | null = null
  windows.forEach((w, i) => {
    const kind = w.key.startsWith('killed:') ? 'down' : w.key.startsWith('paused:') ? 'paused' : null
    if (!kind) return
    const node = w.key.slice(w.key.indexOf(':') + 1)
    let next = w
    for (const m of marks) {
      if (m.node !== node) continue
      if (m.detail === kind && Math.abs(m.t - w.startMs) <= STATUS_SNAP_MS && m.t !== w.startMs)
        next = { ...next, startMs: m.t }
      if (
        m.detail === 'up' &&
        w.endMs !== null &&
        Math.abs(m.t - w.endMs) <= STATUS_SNAP_MS &&
        m.t >= next.startMs
      )
        next = { ...next, endMs: m.t }
    }
    if (next !== w) {
      out ??= windows.slice()
      out[i] = next
    }
  })
  return out ?? (windows as FaultWindow[])
}

function sum(totals: Readonly<Record<string, number>> | undefined): number {
  let n = 0
  if (totals) for (const k in totals) n += totals[k]
  return n
}

export class DiagramLog {
  readonly ring: Ring<DiagramMessage>
  /** Bumped on every change the canvas must redraw for. */
  version = 0
  windows: FaultWindow[] = []
  private owner: unknown = null
  private seq = 0
  private readonly opKeys = new Map<string, readonly string[]>()
  private sentBase = 0
  private recent: Array<{ atMs: number; shown: number; sent: number; dropped: number }> = []
  private marks: StatusMark[] = []
  /** The scenario scrubber's last position (cluster ms), until a cluster shown there takes it. */
  private scrubMs: number | null = null

  constructor(capacity = DIAGRAM_MESSAGES_MAX) {
    this.ring = new Ring(capacity)
  }

  /** The user moved the scenario scrubber to `ms` (the simulator replays the run to it). */
  noteScrub(ms: number): void {
    this.scrubMs = ms
  }

  /**
   * Starts over for a new cluster, except for a time-travel replay: a cluster shown at the
   * scrubber's position is the same run replayed there (the simulator is deterministic), so the
   * messages delivered or dropped by then are kept and the rest (that run's later future, and what
   * was in flight, which the replay delivers again) go.
   */
  private adopt(owner: unknown, totals?: Readonly<Record<string, number>>): void {
    if (owner === this.owner) return
    this.owner = owner
    const at = this.scrubMs
    this.scrubMs = null
    const nowMs = (owner as { time?: { nowMs?: unknown } } | null)?.time?.nowMs
    if (at !== null && typeof nowMs === 'number' && Math.abs(nowMs - at) < 1) {
      this.ring.retain((m) => m.recvMs <= nowMs)
      this.windows = this.windows
        .filter((w) => w.startMs <= nowMs)
        .map((w) => (w.endMs !== null && w.endMs > nowMs ? { ...w, endMs: null } : w))
      this.marks = this.marks.filter((m) => m.t <= nowMs)
    } else {
      this.ring.clear()
      this.windows = []
      this.opKeys.clear()
      this.marks = []
    }
    this.recent = []
    this.sentBase = sum(totals)
    this.version++
  }

  /**
   * Takes a batch of cluster events; `totals` are the cluster's exact cumulative sends per link
   * (Cluster.traffic) for the sampling note, `atMs` the page's clock.
   */
  ingest(
    owner: unknown,
    events: readonly ClusterEvent[],
    totals: Readonly<Record<string, number>> | undefined,
    atMs: number,
    droppedEvents = 0,
  ): void {
    this.adopt(owner, totals)
    let shown = 0
    let newMarks = false
    for (const e of events) {
      if (e.type === 'node-status') {
        if (e.detail === 'down' || e.detail === 'paused' || e.detail === 'up') {
          this.marks.push({ node: e.node, detail: e.detail, t: e.t })
          newMarks = true
        }
        continue
      }
      const m = messageFromEvent(e, ++this.seq)
      if (!m) continue
      if (m.opIds.length > 0) {
        if (m.keys.length > 0) {
          if (this.opKeys.size >= OP_KEYS_MAX) this.opKeys.delete(this.opKeys.keys().next().value as string)
          this.opKeys.set(m.opIds[0], m.keys)
        } else {
          const keys = this.opKeys.get(m.opIds[0])
          if (keys) m.keys = keys
        }
      }
      this.ring.push(m)
      shown++
    }
    if (newMarks) {
      this.marks = this.marks.slice(-32)
      this.windows = snapToStatus(this.windows, this.marks)
    }
    const total = sum(totals)
    const sent = total >= this.sentBase ? total - this.sentBase : total
    this.sentBase = total
    if (shown > 0 || sent > 0 || droppedEvents > 0) {
      this.recent.push({ atMs, shown, sent, dropped: droppedEvents })
      this.version++
    }
    while (this.recent.length > 0 && this.recent[0].atMs < atMs - SAMPLING_WINDOW_MS) this.recent.shift()
  }

  /** The faults in force now (`nowMs` on the cluster's clock): opens and closes the lanes' bands. */
  noteFaults(owner: unknown, chips: readonly FaultChip[], nowMs: number): void {
    this.adopt(owner)
    const next = snapToStatus(trackWindows(this.windows, chips, nowMs), this.marks)
    if (next !== this.windows) {
      this.windows = next
      this.version++
    }
  }

  /** Arrows shown and work messages sent over the last SAMPLING_WINDOW_MS, and the note. */
  sampling(runtime: 'sim' | 'worker'): { shown: number; sent: number; text: string } {
    let shown = 0
    let sent = 0
    let dropped = 0
    for (const r of this.recent) {
      shown += r.shown
      sent += r.sent
      dropped += r.dropped
    }
    return { shown, sent, text: samplingText(shown, sent, runtime, dropped) }
  }
}

/** The page's one log (eventsSlice feeds it; the Messages panel draws it). */
export const diagramLog = new DiagramLog()
