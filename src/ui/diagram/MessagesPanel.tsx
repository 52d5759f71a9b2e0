/**
 * The Messages tab: a Lamport space-time diagram of the cluster's messages (one lane per node,
 * arrows over cluster time, fault bands), with follow-live/pause, span, key and op filters, a
 * legend that toggles kinds, the sampling note, the selected anomaly's messages and a text list.
 */
import { useEffect, useMemo, useState } from 'react'
import { useMembers } from '../panels/useLiveNodes'
import { useStore } from '../store/store'
import { DiagramCanvas } from './DiagramCanvas'
import { DIAGRAM_MESSAGES_MAX, diagramLog } from './diagramLog'
import { BAND_COLORS } from './draw'
import {
  type DiagramFilter,
  type DiagramMessage,
  describeMessage,
  GROUP_COLORS,
  GROUP_LABELS,
  type Highlight,
  highlightOf,
  isHighlighted,
  KIND_GROUPS,
  type KindGroup,
  kindGroup,
  matchesFilter,
} from './messages'

const SPANS_MS = [250, 1000, 2000, 5000, 20_000]
const RECENT_MAX = 8
const STATS_REFRESH_MS = 500

function spanText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`
}

/** The newest messages that pass the filter and end by `endMs` (the list under the diagram). */
function recentMessages(filter: DiagramFilter, endMs: number, max: number): DiagramMessage[] {
  const out: DiagramMessage[] = []
  diagramLog.ring.eachNewestFirst((m) => {
    if (m.sentMs <= endMs && matchesFilter(m, filter)) out.push(m)
    return out.length < max
  })
  return out
}

/**
 * The newest message of one of the highlighted ops, a read's first: the read is usually where the
 * anomaly showed (a write's hints may be retried long after).
 */
function lastHighlighted(h: Highlight): DiagramMessage | null {
  let found: DiagramMessage | null = null
  let read: DiagramMessage | null = null
  diagramLog.ring.eachNewestFirst((m) => {
    if (isHighlighted(m, h)) {
      found ??= m
      if (kindGroup(m.kind) === 'read') read = m
    }
    return read === null
  })
  return read ?? found
}

export function MessagesPanel() {
  const members = useMembers()
  // The user's own view time, else the scenario scrubber's position while it moves (null: live).
  const viewTimeMs = useStore((s) => s.viewTimeMs ?? s.scrubMs)
  const setViewTimeMs = useStore((s) => s.setViewTimeMs)
  const anomaly = useStore((s) => s.selectedAnomaly)
  const runtime = useStore((s) => s.cluster?.runtime)
  const origin = useStore((s) => s.timeOriginMs)
  const [spanMs, setSpanMs] = useState(2000)
  const [key, setKey] = useState('')
  const [opId, setOpId] = useState('')
  const [hidden, setHidden] = useState<ReadonlySet<KindGroup>>(new Set())
  const [selected, setSelected] = useState<DiagramMessage | null>(null)
  const [, setTick] = useState(0)
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), STATS_REFRESH_MS)
    return () => clearInterval(id)
  }, [])
  const filter = useMemo<DiagramFilter>(() => ({ key, opId, hidden }), [key, opId, hidden])
  const highlight = useMemo(() => highlightOf(anomaly), [anomaly])
  const highlightLanes = useMemo(() => new Set(anomaly?.nodes ?? []), [anomaly])
  const following = viewTimeMs === null
  const nowMs = () => useStore.getState().cluster?.time.nowMs ?? 0
  const end = viewTimeMs ?? nowMs()
  const sampling = diagramLog.sampling(runtime === 'sim' ? 'sim' : 'worker')
  const recent = recentMessages(filter, end, RECENT_MAX)
  const toggle = (g: KindGroup) => {
    const next = new Set(hidden)
    if (next.has(g)) next.delete(g)
    else next.add(g)
    setHidden(next)
  }
  const showAnomaly = () => {
    const m = highlight ? lastHighlighted(highlight) : null
    if (m) setViewTimeMs(m.recvMs + spanMs / 4)
  }
  return (
    <div className="panel messages-panel" data-testid="messages-panel">
      <div className="form-row diagram-controls">
        <button
          type="button"
          className="btn"
          data-testid="diagram-follow"
          aria-pressed={!following}
          onClick={() => setViewTimeMs(following ? nowMs() : null)}
        >
          {following ? '❚❚ Pause' : '▶ Follow live'}
        </button>
        {following ? null : (
          <>
            <button
              type="button"
              className="btn"
              aria-label="Earlier"
              onClick={() => setViewTimeMs(end - spanMs / 2)}
            >
              ◀
            </button>
            <button
              type="button"
              className="btn"
              aria-label="Later"
              onClick={() => setViewTimeMs(end + spanMs / 2)}
            >
              ▶
            </button>
          </>
        )}
        <label>
          Span
          <select value={spanMs} onChange={(e) => setSpanMs(Number(e.target.value))} aria-label="Time span">
            {SPANS_MS.map((ms) => (
              <option key={ms} value={ms}>
                {spanText(ms)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="form-row diagram-filters">
        <label>
          Key
          <input
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="any (user:1, user:*)"
            aria-label="Filter by key"
            data-testid="diagram-key"
          />
        </label>
        <label>
          Op
          <input
            value={opId}
            onChange={(e) => setOpId(e.target.value)}
            placeholder="any (node_0:17)"
            aria-label="Filter by op id"
            data-testid="diagram-op"
          />
        </label>
      </div>
      <ul className="diagram-legend" aria-label="Legend: click a kind to hide or show it">
        {KIND_GROUPS.map((g) => (
          <li key={g}>
            <button
              type="button"
              className="legend-item"
              aria-pressed={!hidden.has(g)}
              data-testid={`diagram-kind-${g}`}
              onClick={() => toggle(g)}
            >
              <span className="swatch" style={{ background: GROUP_COLORS[g] }} />
              {GROUP_LABELS[g]}
            </button>
          </li>
        ))}
        <li className="legend-static">
          <span className="swatch dashed" /> dropped
        </li>
        <li className="legend-static">
          <span className="swatch band" style={{ background: BAND_COLORS.killed }} /> killed
        </li>
        <li className="legend-static">
          <span className="swatch band" style={{ background: BAND_COLORS.partition }} /> partitioned
        </li>
        <li className="legend-static">
          <span className="swatch band" style={{ background: BAND_COLORS.latency }} /> slow / lossy link
        </li>
        <li className="legend-static">
          <span className="swatch band" style={{ background: BAND_COLORS.skew }} /> clock skew
        </li>
        <li className="legend-static">
          <span className="swatch band" style={{ background: BAND_COLORS.disk }} /> disk fault
        </li>
      </ul>
      <p className="muted diagram-note" data-testid="diagram-sampling">
        {sampling.text}
        {sampling.sent > 0
          ? runtime === 'sim'
            ? ` — ${sampling.sent} sent in the last 3 s`
            : ` — ${sampling.shown} of ${sampling.sent} in the last 3 s`
          : ''}{' '}
        · {runtime === 'sim' ? 'virtual time' : 'real time'} · keeps the last{' '}
        {DIAGRAM_MESSAGES_MAX.toLocaleString('en')} messages · labels: Lamport ts, op, version
      </p>
      {anomaly ? (
        <p className="diagram-anomaly" data-testid="diagram-anomaly">
          Highlighting the messages of {anomaly.opIds.length} write{anomaly.opIds.length === 1 ? '' : 's'}
          {anomaly.opIds.length > 0
            ? ` (${anomaly.opIds.slice(0, 4).join(', ')}${anomaly.opIds.length > 4 ? '…' : ''})`
            : ''}
          {(anomaly.reads?.length ?? 0) > 0
            ? ` and ${anomaly.reads?.length} read${anomaly.reads?.length === 1 ? '' : 's'} (${anomaly.reads
                ?.slice(0, 2)
                .map((r) => `${r.key} via ${r.node}`)
                .join(', ')})`
            : ''}{' '}
          of the selected anomaly.{' '}
          <button type="button" className="btn linkish" onClick={showAnomaly}>
            Show them
          </button>
        </p>
      ) : null}
      <DiagramCanvas
        members={members}
        spanMs={spanMs}
        viewTimeMs={viewTimeMs}
        filter={filter}
        highlight={highlight}
        highlightLanes={highlightLanes}
        selectedSeq={selected?.seq ?? null}
        onSelect={setSelected}
      />
      {selected ? (
        <dl className="diagram-selected" data-testid="diagram-selected">
          <dt>Message</dt>
          <dd>
            {selected.kind} {selected.from} → {selected.to}
            {selected.dropped ? ` · dropped${selected.reason ? ` (${selected.reason})` : ''}` : ''}
          </dd>
          <dt>Lamport ts</dt>
          <dd>{selected.lamport ?? '—'}</dd>
          <dt>Op</dt>
          <dd>{selected.opIds.join(', ') || '—'}</dd>
          <dt>Key</dt>
          <dd>{selected.keys.join(', ') || '—'}</dd>
          <dt>Version</dt>
          <dd>{selected.version ?? '—'}</dd>
          <dt>Sent → received</dt>
          <dd>
            {((selected.sentMs - origin) / 1000).toFixed(3)} s →{' '}
            {((selected.recvMs - origin) / 1000).toFixed(3)} s (
            {(selected.recvMs - selected.sentMs).toFixed(1)} ms)
          </dd>
        </dl>
      ) : null}
      <h3 className="diagram-list-title">Latest messages{following ? '' : ' (up to the paused time)'}</h3>
      <ul className="diagram-list" data-testid="diagram-list">
        {recent.map((m) => (
          <li
            key={m.seq}
            data-kind={m.kind}
            data-keys={m.keys.join(' ')}
            data-ops={m.opIds.join(' ')}
            data-recv-ms={Math.round(m.recvMs)}
          >
            <button
              type="button"
              className={`diagram-row${isHighlighted(m, highlight) ? ' hot' : ''}`}
              onClick={() => setSelected(m)}
            >
              <span className="swatch" style={{ background: GROUP_COLORS[kindGroup(m.kind)] }} />
              {describeMessage(m)}
            </button>
          </li>
        ))}
        {recent.length === 0 ? <li className="muted">No messages match.</li> : null}
      </ul>
    </div>
  )
}
