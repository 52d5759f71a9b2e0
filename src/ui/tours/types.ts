/**
 * A guided tour is a scenario with narration: the cluster to start (setup options), then 3–6 steps,
 * each naming the control to use, a detector that ticks it from what the cluster and the user did
 * (never from clicks on the tour itself), and a sentence explaining what was just seen with the
 * live figures. Tours are plain data so the scenario engine can later express them in its schema.
 */
import type { ClusterOptions, NodeStatus } from '../../cluster/types'
import type { ClusterEvent } from '../../core/events'
import type { SetupValues } from '../shell/setupForm'
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
  /** Operations the user ran (console) since the previous observation. */
  ops: readonly UserOp[]
}

/** Facts a tour gathered so far (who was killed, peaks, times): plain JSON, kept in localStorage. */
export type Memo = Readonly<Record<string, number | string>>

export interface TourStep {
  id: string
  /** What to do, one sentence. */
  instruction: string
  /** CSS selector of the control, node or zone to use (highlighted while the step is current). */
  target?: string | ((memo: Memo) => string)
  /** Facts to merge when the step is done now; null while it is not. */
  check(obs: TourObs, memo: Memo): Memo | null
  /** What the user just saw, with the figures gathered (one or two sentences). */
  saw(memo: Memo): string
}

export interface TourSetup {
  /** Setup-form values over the defaults (runtime: the page's). */
  values: Partial<SetupValues>
  /** Options the setup form has no field for (e.g. timestampSource). */
  extra?: Partial<ClusterOptions>
}

export interface Tour {
  id: string
  title: string
  /** One line for the "Try this" card. */
  blurb: string
  setup: TourSetup
  /** Figures gathered on every observation, whichever step is current (peaks, first times). */
  track?(obs: TourObs, memo: Memo): Memo | null
  steps: readonly TourStep[]
  /** The closing "what you just saw", one line. */
  summary(memo: Memo): string
}
