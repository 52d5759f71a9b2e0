/**
 * What the page keeps per node worker, and the helpers that keep one incarnation at a time: a kill
 * switch per incarnation and a bound on every step of a boot (a worker that is terminated or hung
 * never answers a comlink call, so an unbounded await there hangs `restart()` forever).
 */

import type { Remote } from 'comlink'
import type { NodeWorkerApi } from '../../workers/nodeWorkerApi'
import type { KillSwitch } from '../cluster/killSwitch'
import type { NodeSnapshot, NodeStatus } from '../cluster/types'
import type { DiskFaults } from '../core/disk/faultyDisk'
import { type DbErrorData, dbError } from '../core/errors'
import type { NodeId } from '../core/ids'
import type { ClientLink } from './clientLink'

export type { KillSwitch }

export interface WorkerNode {
  /** Client requests (put/read), coalesced per tick on a dedicated port. */
  client?: ClientLink
  /** Rejects every call still waiting on this incarnation when the worker is terminated. */
  killed: KillSwitch
  id: NodeId
  index: number
  status: NodeStatus
  worker: Worker | null
  api: Remote<NodeWorkerApi> | null
  skewMs: number
  /** Injected storage faults (core/disk/faultyDisk.ts); they outlive restarts, as the disk does. */
  diskFaults: DiskFaults
  snapshot: NodeSnapshot
  /** Bumped by every boot and every kill: a boot that sees another number after an await stops. */
  incarnation: number
  /** The boot in progress; concurrent restarts share it (one worker per database, ever). */
  booting: Promise<void> | null
  /** Why the node could not open (status 'failed'): shown on its card and in a banner. */
  failure?: DbErrorData
}

/** Opening replays the WAL and reads the SST index: seconds for a big database, never minutes. */
export const OPEN_TIMEOUT_MS = 60_000
/** Any other control call of a boot (connect a peer, pause): a live worker answers in milliseconds. */
export const STEP_TIMEOUT_MS = 3_000

export { killSwitch } from '../cluster/killSwitch'

/**
 * `work`, or a coded TIMEOUT after `ms`, or the kill switch's NODE_DOWN, whichever comes first. The
 * timer is cleared when `work` settles, so nothing lingers after a normal boot.
 */
export function bounded<T>(work: Promise<T>, ms: number, what: string, killed: Promise<never>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(dbError('TIMEOUT', `${what} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout, killed]).finally(() => clearTimeout(timer))
}

/** The error a boot throws when a kill (or a newer boot) took its node from under it. */
export function killedDuringBoot(id: NodeId): Error {
  return dbError('NODE_DOWN', `${id} was killed while it was starting; it stays down`)
}

/** The node's IndexedDB database. */
export function dbNameOf(dbPrefix: string, id: NodeId): string {
  return `${dbPrefix}-${id}`
}

/**
 * Deletes a node's database from the page (a node with no live worker: down or failed). Bounded: a
 * connection that lingers would block the deletion, and a shutdown must not hang on it.
 */
export function deleteDatabase(name: string, ms = OPEN_TIMEOUT_MS): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve()
  const deleting = new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = () => resolve()
    req.onerror = () =>
      reject(dbError('STORAGE_UNAVAILABLE', `could not delete ${name}: ${req.error?.message}`))
  })
  return bounded(deleting, ms, `deleting ${name}`, new Promise<never>(() => {}))
}
