/** Verdict slice: the live checker's latest verdict (from its worker) and the final check's state. */
import type { StateCreator } from 'zustand'
import type { Verdict } from '../../core/checker/incremental'
import type { AppState } from './store'

export interface VerdictSlice {
  verdict: Verdict | null
  /** 'idle' | 'running' (heal check in progress) | a message from the last final check. */
  finalCheck: { busy: boolean; note: string | null }
  /** Which listed anomaly `selectedAnomaly` (uiSlice) came from. */
  selectedAnomalyId: string | null
  setSelectedAnomalyId(id: string | null): void
  setVerdict(v: Verdict | null): void
  setFinalCheck(f: { busy: boolean; note: string | null }): void
}

export const verdictSlice: StateCreator<AppState, [], [], VerdictSlice> = (set) => ({
  verdict: null,
  finalCheck: { busy: false, note: null },
  selectedAnomalyId: null,
  setSelectedAnomalyId: (selectedAnomalyId) => set({ selectedAnomalyId }),
  setVerdict: (verdict) => set({ verdict }),
  setFinalCheck: (finalCheck) => set({ finalCheck }),
})
