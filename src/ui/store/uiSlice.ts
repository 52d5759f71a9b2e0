/** UI slice: selection (edge, node menu, anomaly), open panel, theme, context menu, drag state. */

import type { StateCreator } from 'zustand'
import type { ReadSpan } from '../../core/checker/anomaly'
import type { ConsistencyLevel } from '../../core/quorum/consistency'
import type { AppState } from './store'

export const TABS = [
  'ring',
  'cluster',
  'hints',
  'merkle',
  'storage',
  'console',
  'data',
  'transactions',
  'workload',
  'events',
  'messages',
  'verdict',
] as const
export type Tab = (typeof TABS)[number]
export type Theme = 'light' | 'dark'

/** The anomaly picked in the Verdict tab: the canvas marks its nodes and links, the diagram its ops' messages. */
export interface SelectedAnomaly {
  nodes: string[]
  links: [string, string][]
  opIds: string[]
  /** Its reads (no id on the wire: the diagram matches their messages by key, coordinator and time). */
  reads?: ReadSpan[]
}

export interface UiSlice {
  tab: Tab
  theme: Theme
  setupOpen: boolean
  selectedEdge: string | null
  menuNode: string | null
  inspectNode: string | null
  drag: { id: string; x: number; y: number } | null
  /** Consistency level for operations from the console and the data browser. */
  opLevel: ConsistencyLevel | 'default'
  /** The live checker's selected anomaly: its nodes and links on the canvas, its ops' messages in the diagram. */
  selectedAnomaly: SelectedAnomaly | null
  setSelectedAnomaly(a: SelectedAnomaly | null): void
  /**
   * The cluster time the space-time diagram shows at its right edge; null follows live. The
   * scenario time scrubber can set it; the diagram's pause sets it to the time it paused at.
   */
  viewTimeMs: number | null
  setViewTimeMs(t: number | null): void
  setOpLevel(level: ConsistencyLevel | 'default'): void
  setTab(tab: Tab): void
  setTheme(theme: Theme): void
  setSetupOpen(open: boolean): void
  selectEdge(id: string | null): void
  openMenu(id: string | null): void
  setInspectNode(id: string | null): void
  setDrag(drag: { id: string; x: number; y: number } | null): void
}

function initialTheme(): Theme {
  if (typeof window === 'undefined') return 'light'
  const saved = window.localStorage?.getItem('distdb-theme')
  if (saved === 'light' || saved === 'dark') return saved
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

export const uiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  tab: 'console',
  theme: initialTheme(),
  setupOpen: false,
  selectedEdge: null,
  menuNode: null,
  inspectNode: null,
  drag: null,
  opLevel: 'default',
  selectedAnomaly: null,
  setSelectedAnomaly: (selectedAnomaly) => set({ selectedAnomaly }),
  viewTimeMs: null,
  setViewTimeMs: (viewTimeMs) => set({ viewTimeMs }),
  setOpLevel: (opLevel) => set({ opLevel }),
  setTab: (tab) => set({ tab }),
  setTheme: (theme) => {
    window.localStorage?.setItem('distdb-theme', theme)
    set({ theme })
  },
  setSetupOpen: (setupOpen) => set({ setupOpen }),
  selectEdge: (selectedEdge) => set({ selectedEdge, menuNode: null }),
  openMenu: (menuNode) => set({ menuNode, selectedEdge: null }),
  setInspectNode: (inspectNode) => set({ inspectNode }),
  setDrag: (drag) => set({ drag }),
})
