/**
 * The control interface a node worker exposes to the page over comlink (UI → worker). Node-to-node
 * traffic never uses it: nodes talk over direct MessageChannel ports. Every call returns a plain
 * result or a coded error value, because comlink keeps only `message` of a thrown Error.
 */

import type { NodeSnapshot, ReadResult, ScanPage, WriteResult } from '../src/cluster/types'
import type { ExchangeStats } from '../src/core/antiEntropy/exchangeStats'
import type { WriteIntent } from '../src/core/conflict/types'
import type { DiskFaults } from '../src/core/disk/faultyDisk'
import type { DbErrorData } from '../src/core/errors'
import type { ClusterEvent } from '../src/core/events'
import type { FaultState } from '../src/core/faults/linkRules'
import type { NodeId } from '../src/core/ids'
import type { HandOffCount, HandOffStats } from '../src/core/node/handOff'
import type { NodeConfig } from '../src/core/node/nodeConfig'
import type { StorageAction, StorageActionResult } from '../src/core/node/storageControl'
import type { NodeQuery } from '../src/core/query/nodeQuery'
import type { ConsistencyLevel } from '../src/core/quorum/consistency'
import type { WorkloadSpec, WorkloadTally } from '../src/core/workload/generator'
import type { TapBatch } from '../src/core/workload/historyTap'

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DbErrorData }

export interface OpenParams {
  id: string
  config: NodeConfig
  dbName: string
  /** false = memory only (lost on reload). */
  persist: boolean
  faults: FaultState
  skewMs: number
  seed: number
  /** Where the worker posts coalesced updates (snapshots and events). */
  updates: MessagePort
  /** Client requests in, answers out, both coalesced per tick (see clientPort.ts). */
  client: MessagePort
  /** Delete the node's database before opening (rebuild from peers). */
  fresh?: boolean
  /** Start the node's op sequence above this (the highest of its seqs its peers have seen). */
  ownSeqFloor?: number
  /** The cluster's first boot of this node (DbNode OpenOptions.initial). */
  initial?: boolean
  /** Injected storage faults on this node's disk (core/disk/faultyDisk.ts). */
  diskFaults?: DiskFaults
}

export interface QuietState {
  groupsIdle: boolean
  requestsInFlight: number
  delayedSends: number
  backlogPeers: string[]
  hintTargets: string[]
}

/** A batch a worker posts on its updates port, at most every UPDATE_INTERVAL_MS. */
export interface WorkerUpdate {
  snapshot: NodeSnapshot
  events: ClusterEvent[]
  /** Work messages sent per peer since the last update (edge traffic). */
  sentByPeer: Record<string, number>
  /** Events left out of this update by sampling (per type), so the page can say so. */
  eventsDropped: number
  /** What this node's workload generator completed since the last update, when one runs. */
  workload?: WorkloadTally
  /** Its ops since the last update as checker history (core/workload/historyTap.ts), when any. */
  history?: TapBatch
}

export interface NodeWorkerApi {
  open(params: OpenParams): Promise<Outcome<Record<string, never>>>
  /** Gives this node a direct port to a peer (replacing an old one after the peer restarted). */
  connect(peer: string, port: MessagePort): void
  /** Gives this node a port to a routing node (`router_<n>`, workers/routerWorker.ts). */
  connectRouter(router: string, port: MessagePort): void
  setFaults(faults: FaultState): void
  setSkew(skewMs: number): void
  /** Replaces the injected disk faults (validated by the page). */
  setDiskFaults(faults: DiskFaults): void
  /** The page is about to terminate this worker: leave a torn WAL tail if that fault is set. */
  crash(): Promise<boolean>
  setConfig(config: NodeConfig): void
  pause(): void
  resume(): void
  put(
    key: string,
    value: string | null,
    level?: ConsistencyLevel,
    intent?: WriteIntent,
  ): Promise<Outcome<Omit<WriteResult, 'latencyMs'>>>
  read(key: string, level?: ConsistencyLevel): Promise<Outcome<Omit<ReadResult, 'latencyMs'>>>
  /**
   * Runs a workload generator on this node as coordinator (replacing any running one); its ops are
   * recorded for the live checker, keys sampled at 1 in `history.sampleEvery` (all when absent).
   */
  startWorkload(spec: WorkloadSpec, history?: { sampleEvery: number }): Outcome<null>
  stopWorkload(): void
  /** Bounds this node's generator's admitted fraction (the page's frame guard), now and for the next one. */
  setWorkloadCeiling(fraction: number): void
  inspect(): Promise<Outcome<Record<string, unknown>>>
  antiEntropy(opts?: { peer?: NodeId; rangeIndex?: number }): Promise<Outcome<ExchangeStats[]>>
  /** "Flush now" / "Compact now" on this node's LSM engine. */
  storage(action: StorageAction): Promise<Outcome<StorageActionResult>>
  /** A leaving node gives its hints to `to` (core/node/hintedHandoff.ts handOverHints). */
  handOverHints(to: string): Promise<Outcome<number>>
  /**
   * Streams this node's rows to the owners `ring` (JSON) with N = `n` gives them (membership
   * hand-over); `progressKey` names it for handOverProgress while it runs.
   */
  handOver(
    ring: unknown,
    n: number,
    bytesPerSec: number,
    beforeRing: unknown,
    beforeN: number,
    progressKey?: string,
  ): Promise<Outcome<HandOffStats>>
  /** What handOver would send now (rows, bytes), counted without sending. */
  countHandOver(
    ring: unknown,
    n: number,
    beforeRing: unknown,
    beforeN: number,
  ): Promise<Outcome<HandOffCount>>
  /** Rows and bytes acknowledged so far by the running hand-over `progressKey` (null when none). */
  handOverProgress(progressKey: string): HandOffCount | null
  scan(opts: { start?: string; limit?: number }): Promise<Outcome<ScanPage>>
  /** A query the Cluster API runs on this node (range reads, row pages, secondary index). */
  query(q: NodeQuery): Promise<Outcome<unknown>>
  quiet(): QuietState
  /** Closes the node cleanly (shutdown); kill is worker.terminate() from the page. */
  close(deleteData: boolean): Promise<void>
}
