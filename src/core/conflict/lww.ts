/** Last-write-wins: the newer Lamport version (ties broken by node id) replaces the older one. */
import { dbError } from '../errors'
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'
import type { StoredRecord } from '../storage/engine'
import type { ConflictMode, WriteIntent } from './types'

/** BAD_INPUT unless a write on an LWW key carries nothing but its value. */
export function checkLwwIntent(mode: string, key: string, intent: WriteIntent | undefined): void {
  if (intent?.context !== undefined)
    throw dbError('BAD_INPUT', `a causal context is for 'vector' mode; this cluster is '${mode}'`, {
      reason: 'context-in-lww',
      key: key.slice(0, 200),
    })
  if (intent?.crdt !== undefined)
    throw dbError('BAD_INPUT', `${key.slice(0, 100)} is not a CRDT key (not in crdtConfig)`, {
      reason: 'not-a-crdt-key',
      key: key.slice(0, 200),
    })
}

export const lwwMode: ConflictMode = {
  name: 'lww',
  merges: () => false,
  resolve(_key, current, incoming) {
    // A record's meta is {ts, node, ...}: compared as a Version without copying it.
    if (!current) return incoming
    return compareVersions(incoming.meta as Version, current.meta as Version) > 0 ? incoming : null
  },
  combine(_key, rows) {
    let best: RowVersion | null = null
    for (const r of rows) if (r && (!best || compareVersions(r.version, best.version) > 0)) best = r
    return best
  },
  behind: (_key, row, best) => !row || compareVersions(row.version, best.version) < 0,
  prepare(key, _value, intent) {
    if (intent) checkLwwIntent('lww', key, intent)
    return null
  },
  build() {
    throw new Error('LWW writes have no state to build')
  },
  present: () => undefined,
  describe: () => null,
  digest: (_key, record) => lwwDigest(record),
}

/** An LWW row's version digest: `ts@node`. */
export function lwwDigest(record: StoredRecord): string {
  const m = record.meta as Version
  return `${m.ts}@${m.node}`
}
