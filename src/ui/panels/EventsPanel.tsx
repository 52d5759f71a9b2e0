/** The event timeline: the latest cluster events (bounded), filtered by node and type. */
import { useMemo, useState } from 'react'
import { EVENT_TYPES } from '../../core/events'
import { relTimeText } from '../model/timeText'
import { useStore } from '../store/store'
import { useMembers } from './useLiveNodes'

const SHOWN_MAX = 200

export function EventsPanel() {
  const events = useStore((s) => s.events)
  const total = useStore((s) => s.eventsTotal)
  const members = useMembers()
  const origin = useStore((s) => s.timeOriginMs)
  const [node, setNode] = useState('all')
  const [type, setType] = useState('all')
  const [frozen, setFrozen] = useState<typeof events | null>(null)
  const list = frozen ?? events
  const shown = useMemo(() => {
    const out = []
    for (let i = list.length - 1; i >= 0 && out.length < SHOWN_MAX; i--) {
      const e = list[i]
      if (node !== 'all' && e.node !== node && e.peer !== node) continue
      if (type !== 'all' && e.type !== type) continue
      out.push(e)
    }
    return out
  }, [list, node, type])
  return (
    <div className="panel" data-testid="events-panel">
      <div className="form-row">
        <label>
          Node
          <select value={node} onChange={(e) => setNode(e.target.value)} aria-label="Filter by node">
            <option value="all">all</option>
            {members.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Filter by type">
            <option value="all">all (no send/deliver)</option>
            {EVENT_TYPES.filter((t) => t !== 'send' && t !== 'deliver').map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => setFrozen(frozen ? null : events)}>
          {frozen ? 'Follow live' : 'Freeze'}
        </button>
      </div>
      <p className="muted">
        {total} events seen; the last {events.length} kept (message sends and deliveries are drawn on the
        canvas). Times are cluster time since this cluster started
        {useStore.getState().cluster?.time.kind === 'virtual' ? ' (the simulator’s virtual clock)' : ''}.
      </p>
      <ul className="event-list">
        {shown.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; the list is rebuilt each frame
          <li key={`${e.t}-${i}`}>
            <span className="t" title="Cluster time since this cluster started">
              {relTimeText(e.t - origin)}
            </span>
            <span className={`ev-type ev-${e.type}`}>{e.type}</span>
            <span>
              {e.node}
              {e.peer ? ` → ${e.peer}` : ''} {e.msg ?? ''} {e.key ? `key=${e.key}` : ''}{' '}
              {e.detail && e.type !== 'merkle-exchange' ? e.detail : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
