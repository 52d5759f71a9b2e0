/** Tour slice: the guided tour open in the panel, every tour's progress, the "Try this" cards. */
import type { StateCreator } from 'zustand'
import type { TourProgress } from '../tours/progress'
import type { AppState } from './store'

export interface TourSlice {
  /** The tour shown in the panel (null: none). */
  tourActive: string | null
  tourProgress: Record<string, TourProgress>
  /** The visitor dismissed the "Try this" cards (or the page was opened with ?tour=off). */
  tourCardsHidden: boolean
  /** Tours run in this page (false with ?tour=off or a scenario link). */
  toursOn: boolean
  /** A tour is setting up its cluster. */
  tourStarting: boolean
  setTourState(
    patch: Partial<
      Pick<TourSlice, 'tourActive' | 'tourProgress' | 'tourCardsHidden' | 'tourStarting' | 'toursOn'>
    >,
  ): void
}

export const tourSlice: StateCreator<AppState, [], [], TourSlice> = (set) => ({
  tourActive: null,
  tourProgress: {},
  tourCardsHidden: true,
  tourStarting: false,
  toursOn: false,
  setTourState: (patch) => set(patch),
})
