/** Tabbed side panel: Ring / Cluster / Hints / Merkle / Storage / Console / Data / Transactions / Workload / Events / Messages / Verdict. */
import { lazy, Suspense } from 'react'
import { useStore } from '../store/store'
import { TABS, type Tab } from '../store/uiSlice'

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
        {TABS.map((t) => (
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
              const i = TABS.indexOf(t)
              if (e.key === 'ArrowRight') setTab(TABS[(i + 1) % TABS.length])
              if (e.key === 'ArrowLeft') setTab(TABS[(i + TABS.length - 1) % TABS.length])
            }}
          >
            {LABELS[t]}
          </button>
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
