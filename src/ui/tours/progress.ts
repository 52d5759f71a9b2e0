/**
 * A tour's progress as a pure value: which step is current, the facts gathered, what each done step
 * said. `advance` applies one observation; at most one step ticks per observation, so one action
 * never ticks two steps. Progress is kept in localStorage so a tour can be left and resumed.
 */
import type { Memo, Tour, TourObs } from './types'

export interface TourProgress {
  tourId: string
  /** Index of the current step; steps.length when the tour is finished. */
  stepIndex: number
  memo: Memo
  /** The narration of each done step, frozen when it ticked. */
  saw: string[]
}

export function startProgress(tour: Tour): TourProgress {
  return { tourId: tour.id, stepIndex: 0, memo: {}, saw: [] }
}

export function isFinished(tour: Tour, p: TourProgress): boolean {
  return p.stepIndex >= tour.steps.length
}

/** Applies one observation: trackers first, then the current step's detector. Same object when nothing changed. */
export function advance(tour: Tour, p: TourProgress, obs: TourObs): TourProgress {
  if (isFinished(tour, p)) return p
  const tracked = tour.track?.(obs, p.memo)
  const memo = tracked ? { ...p.memo, ...tracked } : p.memo
  const step = tour.steps[p.stepIndex]
  const facts = step.check(obs, memo)
  if (!facts) return memo === p.memo ? p : { ...p, memo }
  const done = { ...memo, ...facts }
  return { ...p, memo: done, stepIndex: p.stepIndex + 1, saw: [...p.saw, step.saw(done)] }
}

/** Progress to resume on a new cluster: the facts of this session only (`_` keys) are dropped. */
export function forResume(p: TourProgress): TourProgress {
  const memo: Record<string, number | string> = {}
  for (const [k, v] of Object.entries(p.memo)) if (!k.startsWith('_')) memo[k] = v
  return { ...p, memo }
}

const STORAGE_KEY = 'distdb-tours'

export interface SavedTours {
  /** The tour open in the panel (null: none, e.g. after "Leave"). */
  active: string | null
  /** Cards dismissed by the visitor. */
  cardsHidden: boolean
  progress: Record<string, TourProgress>
}

const EMPTY: SavedTours = { active: null, cardsHidden: false, progress: {} }

function validProgress(x: unknown): x is TourProgress {
  const p = x as TourProgress
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.tourId === 'string' &&
    Number.isInteger(p.stepIndex) &&
    p.stepIndex >= 0 &&
    typeof p.memo === 'object' &&
    p.memo !== null &&
    Array.isArray(p.saw)
  )
}

/** Reads the saved tours; anything malformed is dropped (never throws). */
export function loadTours(storage: Pick<Storage, 'getItem'> | undefined): SavedTours {
  try {
    const raw = storage?.getItem(STORAGE_KEY)
    if (!raw) return EMPTY
    const x = JSON.parse(raw) as Partial<SavedTours>
    const progress: Record<string, TourProgress> = {}
    for (const [id, p] of Object.entries(x.progress ?? {}))
      if (validProgress(p) && p.tourId === id) progress[id] = p
    return {
      active: typeof x.active === 'string' ? x.active : null,
      cardsHidden: x.cardsHidden === true,
      progress,
    }
  } catch {
    return EMPTY
  }
}

export function saveTours(storage: Pick<Storage, 'setItem'> | undefined, saved: SavedTours): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(saved))
  } catch {
    // storage full or refused: the tour still runs, it just will not resume
  }
}

/** `#tour=<id>` → id (null when the fragment names no tour). */
export function tourIdFromHash(hash: string): string | null {
  const m = /^#tour=([a-z0-9-]{1,40})$/.exec(hash)
  return m ? m[1] : null
}
