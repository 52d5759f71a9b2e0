/**
 * The space-time diagram's messages: built from traced `deliver` and `drop` events, grouped by kind
 * for the legend, filtered by key, op id and kind, and the sampling note. Pure; unit-tested.
 */
import type { ReadSpan } from '../../core/checker/anomaly'
import type { ClusterEvent } from '../../core/events'

/** One message drawn as an arrow from its sender's lane to its receiver's. */
export interface DiagramMessage {
  /** Ingest order (stable identity for hover and selection). */
  seq: number
  /** Message type (`replicate`, `read-resp`, …). */
  kind: string
  from: string
  to: string
  sentMs: number
  /** Delivery time, or when it was dropped. */
  recvMs: number
  dropped: boolean
  /** Why it was dropped (partition, cut, loss, node down). */
  reason?: string
  /** The sender's Lamport clock when it sent it. */
  lamport?: number
  opIds: readonly string[]
  keys: readonly string[]
  /** The first op's or row's version, `ts@node`. */
  version?: string
}

const EMPTY: readonly string[] = []

/** A traced message event as a diagram message, or null for any other event. */
export function messageFromEvent(e: ClusterEvent, seq: number): DiagramMessage | null {
  if (e.sentT === undefined || !e.peer || !e.msg) return null
  if (e.type === 'deliver')
    return {
      seq,
      kind: e.msg,
      from: e.peer,
      to: e.node,
      sentMs: e.sentT,
      recvMs: Math.max(e.t, e.sentT),
      dropped: false,
      lamport: e.lamport,
      opIds: e.opIds ?? EMPTY,
      keys: e.keys ?? EMPTY,
      version: e.version,
    }
  if (e.type === 'drop')
    return {
      seq,
      kind: e.msg,
      from: e.node,
      to: e.peer,
      sentMs: e.sentT,
      recvMs: Math.max(e.t, e.sentT),
      dropped: true,
      reason: e.detail,
      lamport: e.lamport,
      opIds: e.opIds ?? EMPTY,
      keys: e.keys ?? EMPTY,
      version: e.version,
    }
  return null
}

export const KIND_GROUPS = ['write', 'ack', 'read', 'forward', 'repair', 'sync'] as const
export type KindGroup = (typeof KIND_GROUPS)[number]

export const GROUP_LABELS: Record<KindGroup, string> = {
  write: 'write (replicate)',
  ack: 'ack',
  read: 'read',
  forward: 'forward',
  repair: 'read repair',
  sync: 'anti-entropy & sync',
}

/** Colours that read on both themes. */
export const GROUP_COLORS: Record<KindGroup, string> = {
  write: '#3d6cf1',
  ack: '#2f9e6d',
  read: '#d9822b',
  forward: '#9b6cf0',
  repair: '#e0568a',
  sync: '#2fb8c9',
}

/** The legend group of a message type. */
export function kindGroup(kind: string): KindGroup {
  switch (kind) {
    case 'replicate':
      return 'write'
    case 'replicate-ack':
    case 'relay-ack':
    case 'repair-ack':
      return 'ack'
    case 'read-req':
    case 'read-resp':
    case 'range-req':
    case 'range-resp':
      return 'read'
    case 'forward-write':
    case 'forward-resp':
    case 'forward-read':
    case 'forward-read-resp':
      return 'forward'
    case 'repair':
      return 'repair'
    default:
      return 'sync'
  }
}

export interface DiagramFilter {
  /** A key, exact, or a prefix ending in `*`; '' = any. */
  key: string
  /** An op id (`node_0:17`), exact, or a prefix ending in `*`; '' = any. */
  opId: string
  /** Kind groups switched off in the legend. */
  hidden: ReadonlySet<KindGroup>
}

export const NO_FILTER: DiagramFilter = { key: '', opId: '', hidden: new Set() }

function matchesText(list: readonly string[], pattern: string): boolean {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1)
    return list.some((x) => x.startsWith(prefix))
  }
  return list.includes(pattern)
}

/** True when a message passes the filter (a key or op filter drops messages that carry none). */
export function matchesFilter(m: DiagramMessage, f: DiagramFilter): boolean {
  if (f.hidden.size > 0 && f.hidden.has(kindGroup(m.kind))) return false
  const key = f.key.trim()
  if (key && !matchesText(m.keys, key)) return false
  const op = f.opId.trim()
  if (op && !matchesText(m.opIds, op)) return false
  return true
}

/** The selected anomaly's messages: those of its writes (by op id) and of its reads (by span). */
export interface Highlight {
  opIds: ReadonlySet<string>
  reads: readonly ReadSpan[]
  /** Ops highlighted (0: nothing is). */
  size: number
}

/** Clocks of the page and the workers agree to a few ms (the history's time is the page's clock). */
const READ_SLACK_MS = 5
/** A read that never completed: its messages within this long of its invoke. */
const OPEN_READ_SPAN_MS = 1000
const READ_KINDS: ReadonlySet<string> = new Set([
  'read-req',
  'read-resp',
  'forward-read',
  'forward-read-resp',
  'repair',
])

export function highlightOf(
  a: { opIds: readonly string[]; reads?: readonly ReadSpan[] } | null,
): Highlight | null {
  if (!a) return null
  const reads = a.reads ?? []
  return { opIds: new Set(a.opIds), reads, size: a.opIds.length + reads.length }
}

/**
 * True when a message belongs to one of the highlighted ops: it carries a write's op id, or it is a
 * read's message (a read kind, to or from the read's coordinator, carrying its key, sent within its
 * interval). A read-resp for a key no replica holds carries no key, so it is not found.
 */
export function isHighlighted(m: DiagramMessage, h: Highlight | null): boolean {
  if (!h || h.size === 0) return false
  for (const id of m.opIds) if (h.opIds.has(id)) return true
  if (h.reads.length === 0 || !READ_KINDS.has(m.kind)) return false
  for (const r of h.reads) {
    if (m.from !== r.node && m.to !== r.node) continue
    const end = r.endMs ?? r.startMs + OPEN_READ_SPAN_MS
    if (m.sentMs < r.startMs - READ_SLACK_MS || m.sentMs > end + READ_SLACK_MS) continue
    if (m.keys.includes(r.key)) return true
  }
  return false
}

/**
 * What share of the messages the diagram shows, in words: `shown` arrows for `sent` work messages
 * over the same recent window. The simulator traces every message, so there it is every message
 * unless the page's coalescer dropped events (`droppedEvents`); the worker runtime samples within
 * its event budget and says so.
 */
export function samplingText(
  shown: number,
  sent: number,
  runtime: 'sim' | 'worker',
  droppedEvents = 0,
): string {
  if (runtime === 'sim' && droppedEvents === 0)
    return shown > 0 || sent > 0 ? 'every message' : 'no messages yet'
  if (sent <= 0) return shown > 0 ? 'every message' : 'no messages yet'
  const why =
    runtime === 'sim'
      ? `the page dropped ${droppedEvents} events under load`
      : 'sampled within the worker event budget'
  if (shown <= 0) return `none of the last ${sent} messages (${why})`
  if (shown >= sent * 0.97) return 'every message'
  if (shown >= sent * 0.5) return `showing ${Math.floor((100 * shown) / sent)}% of messages (${why})`
  return `showing 1 in ${Math.round(sent / shown)} messages (${why})`
}

/** "a, b, c +2": the first three of a batch. */
function few(list: readonly string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} +${list.length - 3}` : list.join(', ')
}

/** The one-line description of a message (tooltip, list, details). */
export function describeMessage(m: DiagramMessage): string {
  const parts = [`${m.kind} ${m.from} → ${m.to}`]
  if (m.lamport !== undefined) parts.push(`Lamport ${m.lamport}`)
  if (m.opIds.length) parts.push(`op ${few(m.opIds)}`)
  if (m.keys.length) parts.push(`key ${few(m.keys)}`)
  if (m.version) parts.push(`version ${m.version}`)
  if (m.dropped) parts.push(`dropped${m.reason ? ` (${m.reason})` : ''}`)
  return parts.join(' · ')
}
