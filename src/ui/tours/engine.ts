/**
 * Runs the guided tours in the page: the first load (a gentle workload and the "Try this" cards),
 * starting, leaving and resuming a tour (progress in localStorage, `#tour=<id>` in the URL), feeding
 * observations of the store and the user's operations to the current step, and highlighting the
 * control the step points at.
 */
import type { ClusterEvent } from '../../core/events'
import type { WorkloadSpec } from '../../core/workload/generator'
import { applyStep } from '../../scenario/apply'
import { clusterOptionsOf, encodeFragment } from '../../scenario/codec'
import type { ScenarioDoc } from '../../scenario/schema'
import { replaceCluster } from '../playground'
import { registerNarratedPlayer } from '../scenario/link'
import { useStore } from '../store/store'
import type { WorkloadConfig } from '../store/workloadSlice'
import { startWorkload, stopWorkload } from '../workload/runner'
import { compileTour } from './conditions'
import { borrowSettings, configOfSpec, GENTLE_WORKLOAD, returnSettings, settingsBorrowed } from './gentle'
import { eventsSince, observe } from './observe'
import {
  advance,
  forResume,
  isFinished,
  loadTours,
  type SavedTours,
  saveTours,
  startProgress,
  tourIdFromHash,
} from './progress'
import { isLinkedTour, registerLinkedTour, tourById } from './tours'
import { onUserOp, type UserOp } from './userOps'

const OBSERVE_MS = 200
const HIGHLIGHT_MS = 400
const TARGET_ATTR = 'data-tour-target'

function storage(): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

function persist(): void {
  const s = useStore.getState()
  const saved: SavedTours = { active: s.tourActive, cardsHidden: s.tourCardsHidden, progress: s.tourProgress }
  saveTours(storage(), saved)
}

function setHash(id: string | null): void {
  const url = new URL(window.location.href)
  const current = tourIdFromHash(url.hash)
  if (id === null && current === null) return
  url.hash = id ? `tour=${id}` : ''
  history.replaceState(history.state, '', url.toString().replace(/#$/, ''))
}

/**
 * Starts the gentle workload (or a tour document's) on the live cluster. Its settings stand in for
 * the Workload panel's while it runs; they come back when it stops (see initTours).
 */
export function startGentleWorkload(config: WorkloadConfig = GENTLE_WORKLOAD): void {
  const s = useStore.getState()
  if (!s.cluster) return
  stopWorkload()
  borrowSettings(s.workloadConfig)
  s.setWorkloadConfig(config)
  startWorkload(s.cluster, useStore.getState().workloadConfig)
}

/** Real-time timers of the tour's own scheduled steps (cleared when another tour starts). */
let stepTimers: ReturnType<typeof setTimeout>[] = []

/**
 * Plays a tour's scenario document: its cluster (options and seed; on the page's runtime unless the
 * document came from a link), fresh; its workload through the page's runner (so the charts follow
 * it); its steps, if any, at their times.
 */
async function playTourDoc(doc: ScenarioDoc, runtime: ScenarioDoc['runtime']): Promise<void> {
  for (const t of stepTimers) clearTimeout(t)
  stepTimers = []
  const cluster = await replaceCluster(clusterOptionsOf(doc, runtime), { fresh: true })
  if (doc.workload) startGentleWorkload(configOfSpec(doc.workload as WorkloadSpec))
  for (const step of doc.steps)
    stepTimers.push(setTimeout(() => void applyStep(cluster, step).done, step.at / cluster.time.speed))
}

/** The tour's `#s=` link: its scenario document, narration included. */
export async function tourLink(id: string): Promise<string | null> {
  const tour = tourById(id)
  if (!tour) return null
  const fragment = await encodeFragment(tour.doc)
  return `${window.location.origin}${window.location.pathname}${window.location.search}${fragment}`
}

/**
 * Opens a tour: sets up its cluster and shows its panel. `restart` discards saved progress; otherwise
 * a tour left earlier resumes at its step. `setUpAlready`: a setup-drawer preset made the cluster.
 */
export async function openTour(
  id: string,
  opts: { restart?: boolean; setUpAlready?: boolean; runtime?: ScenarioDoc['runtime'] } = {},
): Promise<boolean> {
  const tour = tourById(id)
  if (!tour) {
    useStore.getState().setNotice(`No tour named “${id}”; the tours are on the canvas.`)
    return false
  }
  const s = useStore.getState()
  if (s.tourStarting || !s.toursOn) return false
  const saved = s.tourProgress[id]
  const progress = saved && !opts.restart && !isFinished(tour, saved) ? forResume(saved) : startProgress(tour)
  s.setTourState({ tourStarting: true, tourActive: id, tourProgress: { ...s.tourProgress, [id]: progress } })
  if (!isLinkedTour(id)) setHash(id)
  persist()
  try {
    if (!opts.setUpAlready)
      await playTourDoc(tour.doc, opts.runtime ?? useStore.getState().cluster?.runtime ?? 'worker')
    return true
  } catch {
    return false // replaceCluster shows the error
  } finally {
    useStore.getState().setTourState({ tourStarting: false })
    resetCursor()
  }
}

/** Closes the panel; the tour's progress stays for "Resume". */
export function leaveTour(): void {
  useStore.getState().setTourState({ tourActive: null })
  setHash(null)
  persist()
}

export function setCardsHidden(hidden: boolean): void {
  useStore.getState().setTourState({ tourCardsHidden: hidden })
  persist()
}

let lastEvent: ClusterEvent | null = null
let pendingOps: UserOp[] = []

function resetCursor(): void {
  const ev = useStore.getState().events
  lastEvent = ev[ev.length - 1] ?? null
  pendingOps = []
}

/** One observation for the active tour (exported for tests and the console). */
export function observeNow(): void {
  const s = useStore.getState()
  const id = s.tourActive
  if (!id || s.tourStarting || !s.cluster) return
  const tour = tourById(id)
  const p = s.tourProgress[id]
  if (!tour || !p) return
  const events = eventsSince(s.events, lastEvent)
  lastEvent = s.events[s.events.length - 1] ?? lastEvent
  const ops = pendingOps
  pendingOps = []
  const next = advance(tour, p, observe(s, events, ops))
  if (next === p) return
  s.setTourState({ tourProgress: { ...s.tourProgress, [id]: next } })
  persist()
}

/** The selector the current step points at (null when none). */
export function currentTarget(): string | null {
  const s = useStore.getState()
  const tour = s.tourActive ? tourById(s.tourActive) : undefined
  const p = tour ? s.tourProgress[tour.id] : undefined
  if (!tour || !p || isFinished(tour, p)) return null
  return tour.steps[p.stepIndex].target(p.memo)
}

function highlight(): void {
  const sel = currentTarget()
  let want = new Set<Element>()
  try {
    if (sel) want = new Set(Array.from(document.querySelectorAll(sel)))
  } catch {
    // a linked tour's selector that is not CSS points at nothing
  }
  for (const el of Array.from(document.querySelectorAll(`[${TARGET_ATTR}]`)))
    if (!want.has(el)) el.removeAttribute(TARGET_ATTR)
  for (const el of want) if (!el.hasAttribute(TARGET_ATTR)) el.setAttribute(TARGET_ATTR, '')
}

/** A narrated document opened from a link (#s=…) or a file: its tour, on the document's runtime. */
async function playNarrated(doc: ScenarioDoc): Promise<void> {
  const tour = compileTour(doc)
  if (!tour) return
  registerLinkedTour(tour)
  linkedTour = tour.id
  useStore.getState().setTourState({ toursOn: true })
  await openTour(tour.id, { restart: true, runtime: doc.runtime })
}
let linkedTour: string | null = null
registerNarratedPlayer(playNarrated)

let started = false

/**
 * Called once the first cluster is up. `toursOff` (`?tour=off`): the old first load, idle. A
 * scenario link (`#s=`) belongs to the scenario player, unless it carried a tour (then it is open).
 * `#tour=<id>` opens that tour; a tour that was open at the last visit resumes; otherwise the gentle
 * workload starts and the cards show.
 */
export function initTours(toursOff: boolean): void {
  if (toursOff || started) return
  if (window.location.hash.startsWith('#s=') && linkedTour === null) return
  started = true
  const saved = loadTours(storage())
  const s0 = useStore.getState()
  s0.setTourState({
    toursOn: true,
    tourProgress: { ...saved.progress, ...s0.tourProgress },
    tourCardsHidden: saved.cardsHidden,
  })
  onUserOp((op) => {
    if (pendingOps.length < 50) pendingOps.push(op)
  })
  // The gentle (or a tour's) workload stopped: the Workload panel's own settings come back.
  useStore.subscribe((s, prev) => {
    if (prev.workloadRunning && !s.workloadRunning && settingsBorrowed())
      s.setWorkloadConfig(returnSettings(s.workloadConfig))
  })
  setInterval(observeNow, OBSERVE_MS)
  setInterval(highlight, HIGHLIGHT_MS)
  window.addEventListener('hashchange', () => {
    const id = tourIdFromHash(window.location.hash)
    if (id && id !== useStore.getState().tourActive) void openTour(id)
  })
  if (linkedTour !== null) return
  const fromUrl = tourIdFromHash(window.location.hash)
  const resume = fromUrl ?? saved.active
  if (resume && tourById(resume)) void openTour(resume)
  else {
    if (fromUrl) useStore.getState().setNotice(`No tour named “${fromUrl}”; the tours are on the canvas.`)
    startGentleWorkload()
  }
}
