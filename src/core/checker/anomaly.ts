/**
 * An anomaly as the live checker reports it: its kind, the operations involved, the nodes and links
 * they touched (for the canvas) and its causes in words. Plain data, so it crosses a worker boundary.
 */
import type { OpF } from './history'

export const ANOMALY_KINDS = [
  'stale-read',
  'unwritten-read',
  'future-read',
  'lost-write',
  'lost-delete',
  'divergence',
  'non-linearizable',
  'siblings',
  'crdt-loss',
] as const
export type AnomalyKind = (typeof ANOMALY_KINDS)[number]

/** How each kind reads in a list. */
export const KIND_TEXT: Record<AnomalyKind, string> = {
  'stale-read': 'stale read',
  'unwritten-read': 'read of a value never written',
  'future-read': 'read of a value written later',
  'lost-write': 'lost acknowledged write',
  'lost-delete': 'lost acknowledged delete (zombie)',
  divergence: 'divergence after heal and quiescence',
  'non-linearizable': 'non-linearizable key',
  siblings: 'siblings',
  'crdt-loss': 'CRDT loss',
}

/** A read as the diagram finds its messages: its key, coordinator and interval (history time). */
export interface ReadSpan {
  node: string
  key: string
  startMs: number
  /** null: it never completed. */
  endMs: number | null
}

/** One operation of the history, as an anomaly lists it. */
export interface OpRef {
  /** Position of the invoke in the history (stable id). */
  index: number
  f: OpF
  key: string
  value: string | null
  start: number
  /** null: indeterminate (info, or still open). */
  end: number | null
  outcome: 'ok' | 'info'
  node?: string
  opId?: string
  /** What this op is in the anomaly: 'read', 'newer write', 'returned write', 'lost', 'final' … */
  role: string
}

export interface Anomaly {
  /** Stable across re-checks: kind, key and the deciding op. */
  id: string
  kind: AnomalyKind
  key: string
  /** One line: what happened. */
  title: string
  /** Why, strongest first ("R + W ≤ N (1 + 1 ≤ 3)"). */
  causes: string[]
  ops: OpRef[]
  /** Nodes and links to highlight on the canvas. */
  nodes: string[]
  links: Array<[string, string]>
  /** Replication op ids of the writes involved (the diagram highlights their messages). */
  opIds: string[]
  /**
   * The reads involved (the stale read itself, …). A read has no id on the wire (reads to one peer
   * are batched into one read-req), so the diagram finds its messages by key, coordinator and time.
   */
  reads: ReadSpan[]
  /** When it was detected (the deciding op's time). */
  time: number
}
