/** The dashboard's one zustand store, built from slices (cluster, nodes, events, ui, workload, timeline, tours, verdict). */
import { create } from 'zustand'
import { type ClusterSlice, clusterSlice } from './clusterSlice'
import { type EventsSlice, eventsSlice } from './eventsSlice'
import { type ScenarioSlice, scenarioSlice } from './scenarioSlice'
import { type TimelineSlice, timelineSlice } from './timelineSlice'
import { type TourSlice, tourSlice } from './tourSlice'
import { type UiSlice, uiSlice } from './uiSlice'
import { type VerdictSlice, verdictSlice } from './verdictSlice'
import { type WorkloadSlice, workloadSlice } from './workloadSlice'

export type AppState = ClusterSlice &
  EventsSlice &
  UiSlice &
  WorkloadSlice &
  TimelineSlice &
  TourSlice &
  VerdictSlice &
  ScenarioSlice

export const useStore = create<AppState>()((...a) => ({
  ...clusterSlice(...a),
  ...eventsSlice(...a),
  ...uiSlice(...a),
  ...workloadSlice(...a),
  ...timelineSlice(...a),
  ...tourSlice(...a),
  ...verdictSlice(...a),
  ...scenarioSlice(...a),
}))
