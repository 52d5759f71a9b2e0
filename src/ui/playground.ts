/**
 * The page's cluster lifecycle and its console API, `window.playground`: create/replace the cluster,
 * subscribe through the frame coalescer, fall back to the simulator when the worker runtime fails.
 */
import { createCluster } from '../cluster/createCluster'
import { createDriver } from '../cluster/driver'
import { resolveOptions } from '../cluster/options'
import type { Cluster, ClusterOptions } from '../cluster/types'
import { toErrorData } from '../core/errors'
import { outcomeTap } from '../scenario/outcomes'
import { createFrameCoalescer, storeApplyIntervalMs, throttledFrames } from './model/coalescer'
import { PAGE_HINT_REPLAY_BYTES_PER_SEC, PAGE_MEMTABLE_BYTES } from './pageDefaults'
import { readPageParams } from './pageParams'
import { openLinkedScenario, watchFragment } from './scenario/link'
import { type ScenarioApi, scenarioApi } from './scenario/scenarioApi'
import { beginSession, registerShowCluster, type SessionSeed } from './scenario/session'
import { deleteStoredNodes } from './storageReset'
import { useStore } from './store/store'
import type { WorkloadConfig } from './store/workloadSlice'
import { returnSettings } from './tours/gentle'
import { noteOutcome } from './tours/userOps'
import { attachVerdict } from './verdict/liveVerdict'
import { latenciesSinceMark, markLatencies, startWorkload, stopWorkload } from './workload/runner'

export interface PlaygroundApi {
  /** The cluster shown on the canvas. */
  readonly cluster: Cluster | null
  /** Replaces the live cluster (the old one is shut down) and shows the new one. */
  createCluster(options: ClusterOptions): Promise<Cluster>
  /** True once the first cluster is up (or the page has shown why it could not start). */
  readonly ready: boolean
  /** Resolves when `ready` becomes true. */
  readonly whenReady: Promise<void>
  /** performance.now() when the first cluster was up (page-load benchmark). */
  readonly readyAtMs: number
  /** The dashboard store (read-only use from the console and tests). */
  state(): ReturnType<typeof useStore.getState>
  /** Deletes the nodes' stored data and starts a fresh cluster with the same options. */
  resetCluster(): Promise<Cluster | null>
  /** Starts the workload generator with settings merged over the current ones. */
  startWorkload(patch?: Partial<WorkloadConfig>): void
  stopWorkload(): void
  /** Every workload op's latency from `mark()` on: `sinceMark()` gives the run's p50 / p99 (benchmarks). */
  workloadLatencies: { mark(): void; sinceMark(): ReturnType<typeof latenciesSinceMark> }
  /** The token-aware driver of the Cluster API (README: Driver), for the console and tests. */
  createDriver: typeof createDriver
  /** The scenario engine: the run as a document, its trace hash, links, time travel (src/scenario). */
  scenario: ScenarioApi
}

declare global {
  interface Window {
    playground: PlaygroundApi
  }
}

let unsubscribe: (() => void) | null = null
let disposeCoalescer: (() => void) | null = null
let creating: Promise<unknown> = Promise.resolve()

/**
 * Shuts the current cluster down and starts one with `options`; errors are shown and rethrown.
 * Invalid options throw BAD_CONFIG and leave the running cluster alone.
 */
export async function replaceCluster(
  options: ClusterOptions,
  opts: { fresh?: boolean } = {},
): Promise<Cluster> {
  const run = creating.then(() => doReplace(options, opts.fresh ?? false))
  creating = run.catch(() => {})
  return run
}

/** Shuts a cluster down; with `deleteData`, the worker runtime also deletes the nodes' IndexedDB databases. */
function shutdownCluster(c: Cluster, deleteData: boolean): Promise<void> {
  return c.shutdown({ deleteData })
}

/** Deletes the cluster's stored data (IndexedDB in the worker runtime) and starts a fresh one with the same options. */
export async function resetCluster(): Promise<Cluster | null> {
  const s = useStore.getState()
  const opts = s.options
  if (!opts) return null
  stopWorkload()
  s.setProgress({ label: 'Resetting cluster: deleting node databases', done: 0, total: 2 })
  const run = creating.then(async () => {
    const c = await doReplace({ ...opts }, true, true)
    useStore.getState().setProgress({ label: 'Resetting cluster: fresh cluster up', done: 2, total: 2 })
    return c
  })
  creating = run.catch(() => {})
  try {
    return await run
  } finally {
    setTimeout(() => useStore.getState().setProgress(null), 600)
  }
}

/**
 * `reset` deletes the stored data first: the old cluster's (shutdown with deleteData) and, in the
 * worker runtime, every `<dbPrefix>-node_<i>` database, so the new cluster starts with empty nodes.
 */
async function doReplace(options: ClusterOptions, reset = false, progress = false): Promise<Cluster> {
  // Invalid options fail here with BAD_CONFIG, before the running cluster is touched.
  const resolved = resolveOptions(options)
  const store = useStore.getState()
  store.setStarting()
  const old = store.cluster
  unsubscribe?.()
  disposeCoalescer?.()
  unsubscribe = null
  if (old) await shutdownCluster(old, reset).catch(() => {})
  if (reset && resolved.runtime === 'worker') {
    await deleteStoredNodes(resolved.dbPrefix).catch(() => 0)
    if (old && old.options.dbPrefix !== resolved.dbPrefix)
      await deleteStoredNodes(old.options.dbPrefix).catch(() => 0)
  }
  if (progress) store.setProgress({ label: 'Resetting cluster: starting fresh nodes', done: 1, total: 2 })
  try {
    const cluster = await createCluster(options)
    return attach(cluster, options)
  } catch (e) {
    useStore.getState().setError(toErrorData(e))
    if (old) useStore.setState({ cluster: null, phase: 'error' })
    throw e
  }
}

/**
 * Shows a cluster built elsewhere (a scenario replay, paused where it stopped): the old one is shut
 * down as replaceCluster does, unless the time-travel checkpoint pool kept it (`seed.keepOld`).
 */
async function showBuiltCluster(raw: Cluster, given: ClusterOptions, seed: SessionSeed): Promise<Cluster> {
  const run = creating.then(async () => {
    const store = useStore.getState()
    const old = store.cluster
    unsubscribe?.()
    disposeCoalescer?.()
    unsubscribe = null
    if (old && !seed.keepOld) await shutdownCluster(old, false).catch(() => {})
    return attach(raw, given, seed)
  })
  creating = run.catch(() => {})
  return run
}
registerShowCluster(showBuiltCluster)

/** Shows `raw` (recorded: every action on it goes through the scenario session) and returns it. */
function attach(raw: Cluster, given: ClusterOptions, seed?: SessionSeed): Cluster {
  // The trace hash taps the cluster first, before anything else can run on it.
  // Every action's outcome is reported too (tours tick from the recorded actions and their outcomes).
  const cluster = outcomeTap(beginSession(raw, given, seed), noteOutcome)
  const store = useStore.getState()
  store.setCluster(cluster)
  const coalescer = createFrameCoalescer(
    (batch) => useStore.getState().applyBatch(batch),
    throttledFrames(
      () => storeApplyIntervalMs(useStore.getState().members.length),
      (cb) => requestAnimationFrame(cb),
      () => performance.now(),
      (cb, ms) => setTimeout(cb, ms),
    ),
  )
  disposeCoalescer = coalescer.dispose
  unsubscribe = cluster.subscribe((u) => coalescer.push(u))
  // The live checker wraps the raw cluster's methods, under the recorder's proxy: a call through
  // the page is recorded once by each (wrapping the proxy instead records every action twice).
  attachVerdict(raw)
  // A replay stays paused where it stopped (at its end, or where the scrubber took it).
  if (cluster.runtime === 'sim' && !seed) cluster.time.resume()
  useStore.getState().setTime(cluster.time.paused, cluster.time.speed)
  if (seed) {
    // Times read as in the recorded run (its clock origin is when its nodes were up).
    useStore.setState({ timeOriginMs: seed.run.startMs })
    useStore.getState().syncFaults()
    seed.run.cluster.flushUpdates() // paused: no clock tick would send the nodes' state
  }
  return cluster
}

let readyFlag = false
let readyAtMs = 0
let resolveReady: () => void = () => {}
const whenReady = new Promise<void>((r) => {
  resolveReady = r
})

/**
 * The page's first cluster: 5 nodes with N = 3 and a sloppy quorum, so a killed node's writes go to a
 * stand-in as visible hints (with N = numNodes every node is an owner and there is never a stand-in).
 */
export const DEFAULT_NUM_NODES = 5
export const DEFAULT_REPLICATION_FACTOR = 3

export { PAGE_MEMTABLE_BYTES } from './pageDefaults'

/** The page's cluster for `?nodes=n`: N = 3, or n when smaller. */
export function defaultClusterOptions(runtime: ClusterOptions['runtime'], numNodes: number): ClusterOptions {
  return {
    runtime,
    numNodes,
    replicationFactor: Math.min(DEFAULT_REPLICATION_FACTOR, numNodes),
    memtableBytesMax: PAGE_MEMTABLE_BYTES,
    hintReplayBytesPerSec: PAGE_HINT_REPLAY_BYTES_PER_SEC,
  }
}

/** Installs window.playground and starts the first cluster (worker runtime, else the simulator). */
export async function bootPlayground(numNodes = DEFAULT_NUM_NODES): Promise<void> {
  window.playground = {
    get cluster() {
      return useStore.getState().cluster
    },
    createCluster: replaceCluster,
    resetCluster,
    get ready() {
      return readyFlag
    },
    whenReady,
    get readyAtMs() {
      return readyAtMs
    },
    state: () => useStore.getState(),
    startWorkload(patch = {}) {
      const s = useStore.getState()
      // Over the panel's own settings, not the gentle workload's that stand in for them while it runs.
      s.setWorkloadConfig({ ...returnSettings(s.workloadConfig), ...patch })
      if (s.cluster) startWorkload(s.cluster, useStore.getState().workloadConfig)
    },
    stopWorkload,
    workloadLatencies: { mark: markLatencies, sinceMark: latenciesSinceMark },
    createDriver,
    scenario: scenarioApi,
  }
  watchFragment()
  // Bad URL parameters are refused with a notice naming them; the default cluster starts instead.
  const params = readPageParams(window.location.search, { numNodes, runtime: 'worker' })
  const n = params.numNodes
  const wanted = params.runtime
  const notices = [...params.problems]
  // A new cluster clears the notices of the old one, so these are shown once the first one is up.
  const showNotices = () => {
    if (notices.length > 0) useStore.getState().setNotice(notices.join(' '))
  }
  try {
    // A scenario in the URL fragment (#s=…) is replayed instead; a bad one leaves a notice and the default cluster.
    if (!(await openLinkedScenario(window.location.hash, notices)))
      await replaceCluster(defaultClusterOptions(wanted, n))
    showNotices()
  } catch (e) {
    let failure = e
    if (wanted === 'worker') {
      const why = toErrorData(e)
      try {
        await replaceCluster(defaultClusterOptions('sim', n))
        notices.push(
          `Worker runtime unavailable (${why.code}: ${why.message}) — running the simulator instead.`,
        )
        showNotices()
        failure = null
      } catch (e2) {
        failure = e2
      }
    }
    // Never leave the page at "Starting cluster…": say why no cluster came up.
    if (failure && !useStore.getState().cluster) {
      showNotices()
      useStore.getState().setError(toErrorData(failure))
    }
  } finally {
    readyAtMs = performance.now()
    readyFlag = true
    resolveReady()
  }
  setInterval(() => {
    const s = useStore.getState()
    s.tickTraffic()
    s.tickFaults()
    const ring = s.cluster?.getRing()
    if (ring && ring.version !== s.ring?.version) s.setRing(ring)
  }, 500)
}
