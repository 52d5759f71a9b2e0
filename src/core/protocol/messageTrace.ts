/**
 * What a message carries that the space-time diagram shows: the op ids, keys and version in it
 * (the first few of a batch). Pure and cheap: hosts call it only for the messages they trace.
 */
import { type Version, versionDigest } from '../replication/version'
import type { TxPeerBody } from '../tx/types'
import { assertNever, type Message, type RowVersion } from './messages'

/** At most this many op ids and keys are kept per message (a batch says how many it held). */
export const TRACE_ITEMS_MAX = 8

export interface MessageTrace {
  opIds: string[]
  keys: string[]
  /** The first op's or row's version, `ts@node` (its Lamport timestamp and the node that wrote it). */
  version?: string
  /** Ops or rows in the message (a batch may hold more than the ids and keys kept). */
  count: number
}

function fromRows(rows: ReadonlyArray<RowVersion | null>): MessageTrace {
  const keys: string[] = []
  let version: string | undefined
  for (const r of rows) {
    if (!r) continue
    if (version === undefined) version = versionDigest(r.version)
    if (keys.length < TRACE_ITEMS_MAX) keys.push(r.key)
  }
  return { opIds: [], keys, version, count: rows.length }
}

function ids(list: readonly string[], version?: Version): MessageTrace {
  return {
    opIds: list.slice(0, TRACE_ITEMS_MAX),
    keys: [],
    version: version ? versionDigest(version) : undefined,
    count: list.length,
  }
}

const NONE: MessageTrace = { opIds: [], keys: [], count: 0 }

/** A transaction message's keys (its rows for an apply, the key locked or read, the prepared items). */
function txTrace(b: TxPeerBody): MessageTrace {
  switch (b.kind) {
    case 'apply':
    case 'decide':
      return fromRows(b.rows)
    case 'prepare':
    case 'refresh':
      return {
        opIds: [],
        keys: b.items.slice(0, TRACE_ITEMS_MAX).map((i) => i.key),
        count: b.items.length,
      }
    case 'release':
    case 'acked':
    case 'status':
      return NONE
    default:
      return { opIds: [], keys: [b.key], count: 1 }
  }
}

/** The op ids, keys and version a message carries (empty for control messages). */
export function traceOf(m: Message): MessageTrace {
  switch (m.type) {
    case 'replicate': {
      const first = m.items[0]?.op
      const n = Math.min(m.items.length, TRACE_ITEMS_MAX)
      const opIds: string[] = []
      const keys: string[] = []
      for (let i = 0; i < n; i++) {
        opIds.push(m.items[i].op.id)
        keys.push(m.items[i].op.key)
      }
      return { opIds, keys, version: first ? versionDigest(first.version) : undefined, count: m.items.length }
    }
    case 'replicate-ack':
    case 'relay-ack':
      return ids(m.ids, m.newer?.[0]?.version)
    case 'forward-write':
    case 'forward-read':
      return { opIds: [], keys: [m.key], count: 1 }
    case 'forward-resp':
      return { opIds: [], keys: [], version: m.version ? versionDigest(m.version) : undefined, count: 1 }
    case 'forward-read-resp':
      return m.read ? { ...fromRows(m.read.row ? [m.read.row] : []), keys: [m.read.key], count: 1 } : NONE
    case 'read-req':
      return { opIds: [], keys: m.keys.slice(0, TRACE_ITEMS_MAX), count: m.keys.length }
    case 'read-resp':
    case 'repair':
    case 'merkle-rows-req':
    case 'merkle-rows-resp':
    case 'range-resp':
      return fromRows(m.rows)
    case 'range-req':
      return { opIds: [], keys: [m.start], count: 0 }
    case 'tx':
      return txTrace(m.body)
    case 'tx-resp':
      return m.body && 'row' in m.body && m.body.row ? fromRows([m.body.row]) : NONE
    case 'ping':
    case 'pong':
    case 'fetch-updates':
    case 'repair-ack':
    case 'merkle-req':
    case 'merkle-resp':
    case 'ring-update':
      return NONE
    default:
      return assertNever(m)
  }
}

/** The fields a traced `deliver` or `drop` event adds (core/events.ts), empty lists left out. */
export function traceFields(
  m: Message,
  sentT: number,
  lamport: number | undefined,
): { sentT: number; lamport?: number; opIds?: string[]; keys?: string[]; version?: string } {
  const tr = traceOf(m)
  return {
    sentT,
    ...(lamport !== undefined ? { lamport } : {}),
    ...(tr.opIds.length ? { opIds: tr.opIds } : {}),
    ...(tr.keys.length ? { keys: tr.keys } : {}),
    ...(tr.version !== undefined ? { version: tr.version } : {}),
  }
}
