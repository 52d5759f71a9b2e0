/**
 * Runs the guided tours in the page: the first load (a gentle workload and the "Try this" cards),
 * starting, leaving and resuming a tour (progress in localStorage, `#tour=<id>` in the URL), feeding
 * observations of the store and the user's operations to the current step, and highlighting the
 * control the step points at.
 */
import type { ClusterEvent } from '../../core/events'
import { replaceCluster } from '../playground'
import { buildOptions, DEFAULT_SETUP } from '../shell/setupForm'
import { useStore } from '../store/store'
import type { WorkloadConfig } from '../store/workloadSlice'
import { startWorkload } from '../workload/runner'
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
import { tourById } from './tours'
import type { Tour } from './types'
import { onUserOp, type UserOp } from './userOps'

/** The first load's workload: enough to see counters and pulses move, little enough to stay readable. */
export const GENTLE_WORKLOAD: Partial<WorkloadConfig> = {
  ratePerSec: 20,
  readFraction: 0.5,
  distribution: 'uniform',
  keyCount: 100,
  valueBytes: 32,
  concurrencyMax: 8,
  level: 'default',
}

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

/** Starts the gentle workload on the live cluster. */
export function startGentleWorkload(): void {
  const s = useStore.getState()
  if (!s.cluster) return
  s.setWorkloadConfig(GENTLE_WORKLOAD)
  startWorkload(s.cluster, useStore.getState().workloadConfig)
}

/** The tour's cluster (its setup over the defaults, on the page's runtime), fresh, with the gentle workload. */
async function setUp(tour: Tour): Promise<void> {
  const runtime = useStore.getState().cluster?.runtime ?? 'worker'
  const built = buildOptions({ ...DEFAULT_SETUP, runtime, ...tour.setup.values })
  if (!built.options) throw new Error(`tour ${tour.id}: ${built.error?.message ?? 'bad setup'}`)
  await replaceCluster({ ...built.options, ...tour.setup.extra }, { fresh: true })
  startGentleWorkload()
}

/**
 * Opens a tour: sets up its cluster and shows its panel. `restart` discards saved progress; otherwise
 * a tour left earlier resumes at its step. `setUpAlready`: a setup-drawer preset made the cluster.
 */
export async function openTour(
  id: string,
  opts: { restart?: boolean; setUpAlready?: boolean } = {},
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
  setHash(id)
  persist()
  try {
    if (!opts.setUpAlready) await setUp(tour)
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
  const t = tour.steps[p.stepIndex].target
  return typeof t === 'function' ? t(p.memo) : (t ?? null)
}

function highlight(): void {
  const sel = currentTarget()
  const want = new Set<Element>(sel ? Array.from(document.querySelectorAll(sel)) : [])
  for (const el of Array.from(document.querySelectorAll(`[${TARGET_ATTR}]`)))
    if (!want.has(el)) el.removeAttribute(TARGET_ATTR)
  for (const el of want) if (!el.hasAttribute(TARGET_ATTR)) el.setAttribute(TARGET_ATTR, '')
}

/**
 * Called once the first cluster is up. `toursOff` (`?tour=off`): the old first load, idle. A
 * scenario link (`#s=`) belongs to the scenario player. `#tour=<id>` opens that tour; a tour that was
 * open at the last visit resumes; otherwise the gentle workload starts and the cards show.
 */
export function initTours(toursOff: boolean): void {
  if (toursOff || window.location.hash.startsWith('#s=')) return
  const saved = loadTours(storage())
  useStore
    .getState()
    .setTourState({ toursOn: true, tourProgress: saved.progress, tourCardsHidden: saved.cardsHidden })
  onUserOp((op) => {
    if (pendingOps.length < 50) pendingOps.push(op)
  })
  setInterval(observeNow, OBSERVE_MS)
  setInterval(highlight, HIGHLIGHT_MS)
  window.addEventListener('hashchange', () => {
    const id = tourIdFromHash(window.location.hash)
    if (id && id !== useStore.getState().tourActive) void openTour(id)
  })
  const fromUrl = tourIdFromHash(window.location.hash)
  const resume = fromUrl ?? saved.active
  if (resume && tourById(resume)) void openTour(resume)
  else {
    if (fromUrl) useStore.getState().setNotice(`No tour named “${fromUrl}”; the tours are on the canvas.`)
    startGentleWorkload()
  }
}
