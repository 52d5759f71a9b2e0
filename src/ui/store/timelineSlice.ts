/** Timeline slice: the faults in effect (chips, and their windows for the charts), the last single step, hint drains. */

import type { StateCreator } from 'zustand'
import { describeDiskFaults } from '../../cluster/diskFaultText'
import type { StepInfo } from '../../cluster/types'
import { noDiskFaults } from '../../core/disk/faultyDisk'
import { diagramLog } from '../diagram/diagramLog'
import { type FaultChip, type FaultWindow, faultsInEffect, trackWindows } from '../model/faultsInEffect'
import type { HintDrain } from '../model/hintDrains'
import type { AppState } from './store'

export interface TimelineSlice {
  faultChips: FaultChip[]
  faultWindows: FaultWindow[]
  lastStep: StepInfo | null
  hintDrains: HintDrain[]
  /**
   * The scenario scrubber's position while the user drags it (cluster ms; null otherwise): the
   * space-time diagram's right edge follows it, and keeps the messages up to it across the replay.
   */
  scrubMs: number | null
  setScrubMs(ms: number | null): void
  /** Re-reads the faults in force (cheap: called twice a second and after each action). */
  tickFaults(): void
  setLastStep(step: StepInfo | null): void
}

function signature(chips: readonly FaultChip[]): string {
  return chips.map((c) => `${c.key}=${c.label}`).join('|')
}

export const timelineSlice: StateCreator<AppState, [], [], TimelineSlice> = (set, get) => ({
  faultChips: [],
  faultWindows: [],
  lastStep: null,
  hintDrains: [],
  scrubMs: null,
  setScrubMs: (scrubMs) => {
    if (scrubMs !== null) diagramLog.noteScrub(scrubMs)
    set({ scrubMs })
  },
  tickFaults: () => {
    const s = get()
    const c = s.cluster
    if (!c) return
    const f = c.faults()
    const status: Record<string, 'up' | 'down' | 'paused'> = {}
    for (const n of c.nodes) status[n.id] = n.status === 'failed' ? 'down' : n.status
    const skewMs: Record<string, number> = {}
    for (const id of s.members) skewMs[id] = s.snapshots[id]?.clockSkewMs ?? 0
    const disk: Record<string, string> = {}
    for (const id of s.members) {
      const d = s.snapshots[id]?.diskFaults?.faults
      if (d && !noDiskFaults(d)) disk[id] = describeDiskFaults(d)
    }
    const chips = faultsInEffect({
      members: s.members,
      groups: f.groups,
      links: f.links,
      status,
      skewMs,
      disk,
    })
    diagramLog.noteFaults(c, chips, c.time.nowMs)
    const windows = trackWindows(s.faultWindows, chips, performance.now())
    const same = signature(chips) === signature(s.faultChips)
    if (same && windows === s.faultWindows) return
    set({ ...(same ? {} : { faultChips: chips }), faultWindows: windows })
  },
  setLastStep: (lastStep) => set({ lastStep }),
})
