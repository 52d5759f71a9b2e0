/** Verdict slice: the live checker's latest verdict (from its worker) and the final check's state. */
import type { StateCreator } from 'zustand'
import type { Verdict } from '../../core/checker/incremental'
import type { AppState } from './store'

/** What the node-side workload gave the checker (core/workload/historyTap.ts), for the chip. */
export interface VerdictFeed {
  /** Its keys are sampled at 1 in this (1 = every key). */
  sampleEvery: number
  /** Its ops on keys not sampled, and ops lost to a full buffer (never checked). */
  skipped: number
  dropped: number
}

export const NO_FEED: VerdictFeed = { sampleEvery: 1, skipped: 0, dropped: 0 }

export interface VerdictSlice {
  verdict: Verdict | null
  verdictFeed: VerdictFeed
  setVerdictFeed(f: VerdictFeed): void
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
  verdictFeed: NO_FEED,
  setVerdictFeed: (verdictFeed) => set({ verdictFeed }),
  finalCheck: { busy: false, note: null },
  selectedAnomalyId: null,
  setSelectedAnomalyId: (selectedAnomalyId) => set({ selectedAnomalyId }),
  setVerdict: (verdict) => set({ verdict }),
  setFinalCheck: (finalCheck) => set({ finalCheck }),
})
