/** `window.playground.scenario`: the scenario engine from the console and tests. */

import { validateScenario } from '../../scenario/codec'
import { ACTION_NAMES, type ScenarioDoc } from '../../scenario/schema'
import { useStore } from '../store/store'
import { checkpointPool, setCheckpointsEnabled } from './checkpointFeed'
import { copyLink, openScenario } from './link'
import { currentSession, refreshView, seek, snapshotDoc } from './session'

export interface ScenarioApi {
  /** The recordable actions (the schema's list). */
  readonly actions: readonly string[]
  /** The run so far as a scenario document (at a clean instant). */
  doc(): Promise<ScenarioDoc | null>
  /** The trace hash (64 hex) of the simulator run so far, or null. */
  hash(): string | null
  /** Copies a link to the run so far; resolves with it. */
  copyLink(): Promise<string | null>
  /** Moves the simulator run to `tMs` on its timeline (back: replayed from t = 0). */
  seek(tMs: number): Promise<void>
  /** The instants (cluster ms) with a time-travel checkpoint ready, ascending. */
  checkpoints(): number[]
  /** Turns time-travel checkpoints off (scrubs re-execute from t = 0) or back on. */
  useCheckpoints(on: boolean): void
  /** Checks and replays a document (an object, as from a file). */
  play(doc: unknown): Promise<{ ok: true } | { ok: false; code: string; message: string }>
}

export const scenarioApi: ScenarioApi = {
  actions: ACTION_NAMES,
  async doc() {
    return (await snapshotDoc())?.doc ?? null
  },
  hash() {
    refreshView()
    return useStore.getState().scenario.hash ?? currentSession()?.hash?.hex() ?? null
  },
  copyLink,
  seek,
  checkpoints: () => checkpointPool().readyTimesMs(),
  useCheckpoints: (on) => {
    setCheckpointsEnabled(on)
    refreshView()
  },
  async play(raw) {
    const p = validateScenario(raw)
    if (!p.ok) return { ok: false, code: p.error.code, message: p.error.message }
    await openScenario(p.doc, 'file')
    return { ok: true }
  },
}
