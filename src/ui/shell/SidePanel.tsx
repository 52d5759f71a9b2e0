/**
 * Tabbed side panel. Twelve tabs in one flat row wrapped onto two rows in no order a visitor could
 * read, so they stand in four named groups (what runs, what you ask, how it repairs and stores, what
 * it tells you); every tab stays one click away, and the arrow keys follow the groups' order.
 */
import { lazy, Suspense } from 'react'
import { useStore } from '../store/store'
import type { Tab } from '../store/uiSlice'

const LABELS: Record<Tab, string> = {
  ring: 'Ring',
  cluster: 'Cluster',
  hints: 'Hints',
  merkle: 'Merkle',
  storage: 'Storage',
  console: 'Console',
  data: 'Data',
  transactions: 'Transactions',
  workload: 'Workload',
  events: 'Events',
  messages: 'Messages',
  verdict: 'Verdict',
}

/** The groups, in the order they are shown (and the arrow keys move); every tab is in exactly one. */
export const TAB_GROUPS: ReadonlyArray<{ name: string; hint: string; tabs: readonly Tab[] }> = [
  {
    name: 'Cluster',
    hint: 'the nodes, the ring and the load on them',
    tabs: ['cluster', 'ring', 'workload'],
  },
  { name: 'Ask', hint: 'reads, writes, queries and transactions', tabs: ['console', 'data', 'transactions'] },
  { name: 'Repair', hint: 'hinted handoff, anti-entropy and the disk', tabs: ['hints', 'merkle', 'storage'] },
  {
    name: 'Watch',
    hint: 'the checker, the messages and the event log',
    tabs: ['verdict', 'messages', 'events'],
  },
]
const ORDER: readonly Tab[] = TAB_GROUPS.flatMap((g) => g.tabs)

const PANELS: Record<Tab, React.LazyExoticComponent<() => React.ReactNode>> = {
  ring: lazy(() => import('../panels/RingPanel').then((m) => ({ default: m.RingPanel }))),
  cluster: lazy(() => import('../panels/ClusterPanel').then((m) => ({ default: m.ClusterPanel }))),
  hints: lazy(() => import('../panels/HintsPanel').then((m) => ({ default: m.HintsPanel }))),
  merkle: lazy(() => import('../panels/MerklePanel').then((m) => ({ default: m.MerklePanel }))),
  storage: lazy(() => import('../panels/StoragePanel').then((m) => ({ default: m.StoragePanel }))),
  console: lazy(() => import('../panels/ConsolePanel').then((m) => ({ default: m.ConsolePanel }))),
  data: lazy(() => import('../panels/DataPanel').then((m) => ({ default: m.DataPanel }))),
  transactions: lazy(() =>
    import('../panels/TransactionsPanel').then((m) => ({ default: m.TransactionsPanel })),
  ),
  workload: lazy(() => import('../panels/WorkloadPanel').then((m) => ({ default: m.WorkloadPanel }))),
  events: lazy(() => import('../panels/EventsPanel').then((m) => ({ default: m.EventsPanel }))),
  messages: lazy(() => import('../diagram/MessagesPanel').then((m) => ({ default: m.MessagesPanel }))),
  verdict: lazy(() => import('../panels/VerdictPanel').then((m) => ({ default: m.VerdictPanel }))),
}

export function SidePanel() {
  const tab = useStore((s) => s.tab)
  const setTab = useStore((s) => s.setTab)
  const Panel = PANELS[tab]
  return (
    <aside className="side-panel" aria-label="Inspector panels">
      <div className="tabs" role="tablist" aria-label="Panels">
        {TAB_GROUPS.map((g) => (
          <div key={g.name} className="tab-group" role="presentation" title={g.hint}>
            <span className="tab-group-name" aria-hidden="true">
              {g.name}
            </span>
            {g.tabs.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`tab-${t}`}
                aria-selected={tab === t}
                aria-controls="side-tabpanel"
                className={`tab${tab === t ? ' active' : ''}`}
                data-testid={`tab-${t}`}
                onClick={() => setTab(t)}
                onKeyDown={(e) => {
                  const i = ORDER.indexOf(t)
                  if (e.key === 'ArrowRight') setTab(ORDER[(i + 1) % ORDER.length])
                  if (e.key === 'ArrowLeft') setTab(ORDER[(i + ORDER.length - 1) % ORDER.length])
                }}
              >
                {LABELS[t]}
              </button>
            ))}
          </div>
        ))}
      </div>
      <div className="tab-body" role="tabpanel" id="side-tabpanel" aria-labelledby={`tab-${tab}`}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Panel />
        </Suspense>
      </div>
    </aside>
  )
}
