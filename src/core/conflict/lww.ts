/** Last-write-wins: the newer Lamport version (ties broken by node id) replaces the older one. */
import type { RowVersion } from '../protocol/messages'
import { compareVersions, type Version } from '../replication/version'
import type { ConflictMode } from './types'

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
}
