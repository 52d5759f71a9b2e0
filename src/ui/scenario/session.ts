/**
 * The page's scenario session: the live cluster's recording and trace hash, and the timeline the
 * scrubber moves along. Every cluster the page shows passes through `beginSession` (playground.ts
 * attach), which wraps it in the recording proxy. Time travel replays the timeline from the nearest
 * checkpoint before the target (checkpointFeed.ts), else on a fresh simulator cluster from t = 0
 * (src/scenario/replay.ts); acting while scrubbed back branches a new run there.
 */
import type { Cluster, ClusterOptions } from '../../cluster/types'
import { Recorder, recordingCluster } from '../../scenario/recorder'
import { SimScenarioRun } from '../../scenario/replay'
import type { ScenarioDoc } from '../../scenario/schema'
import { TraceHash } from '../../scenario/traceHash'
import type { SimCluster } from '../../sim/simCluster'
import { LARGE_CLUSTER_NODES, LARGE_WRITE_EVERY_MS } from '../model/latestEvery'
import { EMPTY_SCENARIO } from '../store/scenarioSlice'
import { useStore } from '../store/store'
import { checkpointPool, feedTimeline } from './checkpointFeed'

interface Session {
  raw: Cluster
  recorder: Recorder
  hash: TraceHash | null
  /** The replay this cluster is, when it came from a document or a scrub. */
  run: SimScenarioRun | null
  /** While scrubbed back: the whole timeline (the recording frozen when the scrub began). */
  timeline: ScenarioDoc | null
  cursorMs: number | null
}

let cur: Session | null = null
/** The bar's refresh (one for the page, started with the first session). */
let viewTicking = false
/**
 * From 13 nodes the periodic refresh writes the scenario bar's counts at most once a second (every
 * store write runs every card's selectors; see liveVerdict.ts). Calls after an action stay immediate.
 */
let lastViewWriteMs = Number.NEGATIVE_INFINITY

/** What a new session starts from: a replay run and its document (else a fresh recording). */
export interface SessionSeed {
  run: SimScenarioRun
  doc: ScenarioDoc
  replayOf: 'link' | 'file' | null
  cursorMs: number | null
  /** The cluster shown before is kept, not shut down: the checkpoint pool adopted it. */
  keepOld?: boolean
}

function headerOf(raw: Cluster, given: ClusterOptions): Recorder['header'] {
  const { runtime: _r, seed: _s, ...options } = given
  return { seed: raw.options.seed, runtime: raw.runtime, options, workload: null }
}

/** Starts recording a cluster the page is about to show; returns the cluster to show (recorded). */
export function beginSession(raw: Cluster, given: ClusterOptions, seed?: SessionSeed): Cluster {
  const sim = raw.runtime === 'sim' ? (raw as SimCluster) : null
  const origin = sim ? 0 : raw.time.nowMs
  const header = seed
    ? {
        seed: seed.doc.seed,
        runtime: seed.doc.runtime,
        options: seed.doc.options as unknown as ClusterOptions,
        workload: seed.doc.workload,
      }
    : headerOf(raw, given)
  const recorder = new Recorder(header, () => raw.time.nowMs, origin)
  let hash: TraceHash | null = null
  if (seed) {
    recorder.steps.push(...seed.doc.steps)
    hash = seed.run.hash
  } else if (sim) {
    hash = new TraceHash()
    const h = hash
    sim.tapEvents((e) => h.add(e))
  }
  const session: Session = {
    raw,
    recorder,
    hash,
    run: seed?.run ?? null,
    timeline: seed && seed.cursorMs !== null ? seed.doc : null,
    cursorMs: seed?.cursorMs ?? null,
  }
  cur = session
  // Acting while scrubbed back is a branch: the timeline after the cursor is dropped first.
  recorder.beforeAppend = () => {
    if (cur === session && session.cursorMs !== null) branchHere()
  }
  recorder.onChange(() => refreshView())
  useStore.getState().setScenario({
    ...EMPTY_SCENARIO,
    runtime: raw.runtime,
    replayOf: seed?.replayOf ?? null,
    link: useStore.getState().scenario.link,
    note: null,
  })
  if (!viewTicking) {
    viewTicking = true
    setInterval(() => {
      branchIfResumed()
      refreshView(true)
    }, 500)
  }
  refreshView()
  return recordingCluster(raw, recorder)
}

/** The session's recording so far (null before the first cluster). */
export function currentSession(): Readonly<Session> | null {
  return cur
}

/** Now on the session's cluster timeline, ms (recording time). */
function nowOf(s: Session): number {
  return s.raw.time.nowMs - s.recorder.originMs
}

/** Republishes counts, the hash and the cursor to the store (`periodic`: from the 500 ms tick). */
export function refreshView(periodic = false): void {
  const s = cur
  if (!s) return
  const end = s.timeline ? s.timeline.durationMs : nowOf(s)
  const now = performance.now()
  const large = useStore.getState().members.length >= LARGE_CLUSTER_NODES
  if (!(periodic && large && now - lastViewWriteMs < LARGE_WRITE_EVERY_MS)) publishView(s, end, now)
  // Checkpoints follow the timeline: the live recording so far, or the one the scrubber froze.
  if (s.raw.runtime === 'sim') feedTimeline(s.timeline ?? s.recorder.toDoc(), s.timeline !== null)
  else feedTimeline(null, false)
}

function publishView(s: Session, end: number, now: number): void {
  lastViewWriteMs = now
  useStore.getState().setScenario({
    steps: s.timeline ? s.timeline.steps.length : s.recorder.steps.length,
    skipped: s.recorder.skipped,
    endMs: end,
    cursorMs: s.cursorMs,
    hash: s.hash?.hex() ?? null,
    hashAtMs: nowOf(s),
  })
}

/**
 * A forward move goes on along the shown run unless a checkpoint lies this much further on (showing
 * another cluster costs the page a rebuild, about what replaying a few virtual seconds does).
 */
const FORWARD_CHECKPOINT_GAIN_MS = 3000

/** The page resumed time while scrubbed back: the run goes on from there, a branch. */
function branchIfResumed(): void {
  if (cur && cur.cursorMs !== null && !cur.raw.time.paused) branchHere()
}

/** Drops the timeline after the cursor: the run goes on live from here (recording appends). */
export function branchHere(): void {
  const s = cur
  if (!s || s.cursorMs === null) return
  s.recorder.truncateAfter(s.cursorMs)
  s.timeline = null
  s.cursorMs = null
  refreshView()
}

/**
 * The run so far as a document, at a clean instant: the page's clock is paused for the moment the
 * current tick needs to finish (sim), so the document and the hash cover the same events.
 */
export async function snapshotDoc(): Promise<{ doc: ScenarioDoc; hash: string | null } | null> {
  const s = cur
  if (!s) return null
  if (s.timeline && s.cursorMs !== null) {
    const at = s.cursorMs
    const doc = { ...s.timeline, steps: s.timeline.steps.filter((x) => x.at <= at), durationMs: at }
    return { doc, hash: s.hash?.hex() ?? null }
  }
  if (s.raw.runtime !== 'sim') return { doc: s.recorder.toDoc(), hash: null }
  const sim = s.raw as SimCluster
  const running = !sim.time.paused
  if (running) sim.time.pause()
  try {
    await sim.idle()
    await sim.sim.settleMicrotasks()
    return { doc: s.recorder.toDoc(), hash: s.hash?.hex() ?? null }
  } finally {
    if (running) sim.time.resume()
  }
}

/** Shows a cluster built outside replaceCluster (a replay); set by playground.ts. */
export type ShowCluster = (raw: Cluster, given: ClusterOptions, seed: SessionSeed) => Promise<Cluster>
let show: ShowCluster | null = null
export function registerShowCluster(fn: ShowCluster): void {
  show = fn
}

/**
 * Replays a document on the simulator to `toMs` (default its end) and shows it, paused there; from
 * `from` (a checkpoint of `doc` at or before `toMs`) when given, else from t = 0.
 */
export async function showReplay(
  doc: ScenarioDoc,
  replayOf: SessionSeed['replayOf'],
  toMs = doc.durationMs,
  from: SimScenarioRun | null = null,
  keepOld = false,
): Promise<number> {
  if (!show) throw new Error('the page has not registered showCluster')
  const t0 = performance.now()
  const run = from ?? (await SimScenarioRun.start(doc))
  await run.runTo(toMs)
  const tookMs = performance.now() - t0
  run.cluster.time.pause() // the page's clock stays stopped here (paused: page actions drive time)
  const cursorMs = toMs < doc.durationMs ? toMs : null
  await show(run.cluster, doc.options as unknown as ClusterOptions, { run, doc, replayOf, cursorMs, keepOld })
  return tookMs
}

/**
 * Moves the simulator run to `tMs` on its timeline: forward on the same cluster when it can, else
 * from the nearest checkpoint before `tMs`, else a new run from t = 0 (time travel). The page stays
 * paused at the new moment.
 */
export async function seek(tMs: number): Promise<void> {
  const s = cur
  if (s?.raw.runtime !== 'sim') return
  const store = useStore.getState()
  const sim = s.raw as SimCluster
  if (!sim.time.paused) sim.time.pause()
  store.setTime(true, sim.time.speed)
  store.setScenario({ busy: `Moving to ${(tMs / 1000).toFixed(1)} s…` })
  // Background rolling gives the move the CPU.
  const release = checkpointPool().hold()
  try {
    if (!s.timeline) {
      await sim.idle()
      s.timeline = s.recorder.toDoc()
    }
    const timeline = s.timeline
    // The scrubber moves in whole ms: its last position is the end (a fractional instant).
    const target = tMs >= timeline.durationMs - 1 ? timeline.durationMs : Math.max(0, tMs)
    const t0 = performance.now()
    const pool = checkpointPool()
    const best = pool.bestMs(target, timeline)
    const onward = s.run && s.run.doc === timeline && target >= s.run.nowMs ? s.run : null
    if (onward && (best === null || best < onward.nowMs + FORWARD_CHECKPOINT_GAIN_MS)) {
      const fromMs = onward.nowMs
      await onward.runTo(target)
      s.cursorMs = target < timeline.durationMs ? target : null
      if (s.cursorMs === null) s.timeline = null
      useStore.getState().setScenario({ lastSeekMs: performance.now() - t0, lastSeekFromMs: fromMs })
    } else {
      const replayOf = useStore.getState().scenario.replayOf
      const from = pool.take(target, timeline)
      const fromMs = from?.nowMs ?? 0
      // The run being left goes back to the pool when it is still a clean run of the timeline.
      const kept = s.run !== null && s.run.cluster === s.raw && pool.adopt(s.run, timeline)
      await showReplay(timeline, replayOf, target, from, kept)
      // The new session keeps the whole timeline; its cursor is the target (null at the end).
      useStore.getState().setScenario({ lastSeekMs: performance.now() - t0, lastSeekFromMs: fromMs })
    }
  } finally {
    release()
    useStore.getState().setScenario({ busy: null })
    useStore.getState().syncFaults()
    useStore.getState().syncMembers()
    refreshView()
  }
}
