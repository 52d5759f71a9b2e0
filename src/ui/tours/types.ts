/**
 * A guided tour is a scenario with narration: a scenario document (its cluster, workload and steps)
 * whose `narration` (src/scenario/narration.ts) lists 3–6 steps, each naming the control to use, a
 * completion condition over what the cluster and the recorded actions did (never clicks on the tour
 * itself), and a sentence explaining what was just seen with the live figures. `Tour` is that
 * narration compiled to functions (conditions.ts).
 */
import type { NodeStatus } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import type { ScenarioDoc } from '../../scenario/schema'
import type { Tab } from '../store/uiSlice'
import type { UserOp } from './userOps'

/** What a tour can see of one node. */
export interface ObsNode {
  status: NodeStatus
  hintsHeld: number
  hintsByTarget: Readonly<Record<string, number>>
  clockSkewMs: number
  /** Ops of this node not yet acknowledged by its peers. */
  backlog: number
  siblingKeys: number
  /** Live rows this node holds (an estimate). */
  keyCount: number
}

/** One observation of the page: the state now plus what happened since the previous one. */
export interface TourObs {
  /** Cluster time (virtual in the simulator). */
  tMs: number
  members: readonly string[]
  nodes: Readonly<Record<string, ObsNode>>
  /** Partition groups in force; one group (or none) = no partition. */
  groups: readonly (readonly string[])[]
  tab: Tab
  ringVersion: number
  /** The workload's latest sample (0 when it is not running). */
  errorsPerSec: number
  /** Cluster events since the previous observation (send/deliver excluded). */
  events: readonly ClusterEvent[]
  /** Client operations recorded on the cluster (console, data browser, API) since the previous observation. */
  ops: readonly UserOp[]
}

/** Facts a tour gathered so far (who was killed, peaks, times): plain JSON, kept in localStorage. */
export type Memo = Readonly<Record<string, number | string>>

export interface TourStep {
  id: string
  /** What to do, one sentence. */
  instruction: string
  /** CSS selector of the control, node or zone to use (highlighted while the step is current). */
  target(memo: Memo): string | null
  /** Facts to merge when the step is done now; null while it is not. */
  check(obs: TourObs, memo: Memo): Memo | null
  /** What the user just saw, with the figures gathered (one or two sentences). */
  saw(memo: Memo): string
}

export interface Tour {
  id: string
  title: string
  /** One line for the "Try this" card. */
  blurb: string
  /** The scenario document the tour plays (its narration is what this Tour was compiled from). */
  doc: ScenarioDoc
  /** Figures gathered on every observation, whichever step is current (peaks, first times). */
  track?(obs: TourObs, memo: Memo): Memo | null
  steps: readonly TourStep[]
  /** The closing "what you just saw", one line. */
  summary(memo: Memo): string
}
