/** Scenario slice: what the scenario bar shows (recording, trace hash, timeline cursor, last link). */
import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export interface ScenarioView {
  runtime: 'sim' | 'worker' | null
  /** Steps in the timeline (recorded, or of the document being replayed). */
  steps: number
  /** Calls that could not be recorded. */
  skipped: number
  /** Where the timeline ends, cluster ms (live: now). */
  endMs: number
  /** Where the scrubber stands, or null when the run is live at its end. */
  cursorMs: number | null
  /** Trace hash (64 hex) of the run so far, and the cluster time it covers. */
  hash: string | null
  hashAtMs: number
  /** Set when the run is a replay: where the document came from. */
  replayOf: 'link' | 'file' | null
  /** A long operation running ("Scrubbing to 30.0 s…"). */
  busy: string | null
  /** The last link copied, with the hash and time of the run it carries. */
  link: { url: string; hash: string | null; atMs: number } | null
  /** Real ms the last scrub took. */
  lastSeekMs: number | null
  /** Where the last scrub replayed from (cluster ms): a checkpoint's instant, the shown run's, or 0. */
  lastSeekFromMs: number | null
  /** Why the replay is not exact (worker runtime), or what the last import did. */
  note: string | null
  /** Worker replay: how its steps' outcomes compare with a simulator replay of the same document. */
  divergence: { state: 'pending' | 'same' | 'diverged'; text: string; step: number | null } | null
}

export interface ScenarioSlice {
  scenario: ScenarioView
  setScenario(patch: Partial<ScenarioView>): void
}

export const EMPTY_SCENARIO: ScenarioView = {
  runtime: null,
  steps: 0,
  skipped: 0,
  endMs: 0,
  cursorMs: null,
  hash: null,
  hashAtMs: 0,
  replayOf: null,
  busy: null,
  link: null,
  lastSeekMs: null,
  lastSeekFromMs: null,
  note: null,
  divergence: null,
}

export const scenarioSlice: StateCreator<AppState, [], [], ScenarioSlice> = (set) => ({
  scenario: EMPTY_SCENARIO,
  setScenario: (patch) => set((s) => ({ scenario: { ...s.scenario, ...patch } })),
})
