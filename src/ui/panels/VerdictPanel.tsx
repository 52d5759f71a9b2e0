/**
 * The Verdict tab: the live checker's headline, its counts (operations, refused writes per code),
 * every anomaly with its kind, ops and causes; clicking one marks its nodes and links on the canvas.
 * The final check (settle, anti-entropy, compare replicas) adds lost writes and divergence; the A/B
 * compare runs two configurations side by side in the simulator.
 */
import { lazy, Suspense, useState } from 'react'
import { type Anomaly, KIND_TEXT } from '../../core/checker/anomaly'
import { shown } from '../../core/checker/describe'
import { relTimeText } from '../model/timeText'
import { useStore } from '../store/store'
import { runFinalCheck } from '../verdict/liveVerdict'

const AbCompare = lazy(() => import('../verdict/AbCompare').then((m) => ({ default: m.AbCompare })))

/** An op's time on the events' clock, relative to the dashboard's origin ("12.345 s"). */
function timeText(ms: number | null, originMs: number): string {
  return ms === null ? '…' : relTimeText(ms - originMs)
}

function AnomalyItem({ a, selected }: { a: Anomaly; selected: boolean }) {
  const origin = useStore((s) => s.timeOriginMs)
  const select = (on: boolean) => {
    const s = useStore.getState()
    s.setSelectedAnomaly(on ? { nodes: a.nodes, links: a.links, opIds: a.opIds, reads: a.reads } : null)
    s.setSelectedAnomalyId(on ? a.id : null)
  }
  return (
    <li className={`anomaly${selected ? ' selected' : ''}`} data-testid="anomaly" data-kind={a.kind}>
      <button
        type="button"
        className="anomaly-head"
        aria-pressed={selected}
        onClick={() => select(!selected)}
      >
        <span className={`badge anomaly-kind kind-${a.kind}`}>{KIND_TEXT[a.kind]}</span>
        <span className="anomaly-title">{a.title}</span>
      </button>
      <ul className="anomaly-causes" data-testid="anomaly-causes">
        {a.causes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      {selected && a.ops.length > 0 && (
        <table className="anomaly-ops" data-testid="anomaly-ops">
          <thead>
            <tr>
              <th>op</th>
              <th>role</th>
              <th>via</th>
              <th>start → end</th>
            </tr>
          </thead>
          <tbody>
            {a.ops.map((o) => (
              <tr key={`${o.index}-${o.role}`}>
                <td>
                  #{o.index} {o.f} {o.f === 'delete' ? '' : shown(o.value)}
                </td>
                <td>{o.role}</td>
                <td>
                  {o.node ?? '?'}
                  {o.opId ? ` (${o.opId})` : ''}
                </td>
                <td>
                  {timeText(o.start, origin)} → {timeText(o.end, origin)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  )
}

export function VerdictPanel() {
  const v = useStore((s) => s.verdict)
  const final = useStore((s) => s.finalCheck)
  const selId = useStore((s) => (s.selectedAnomaly ? s.selectedAnomalyId : null))
  const runtime = useStore((s) => s.cluster?.runtime)
  const workloadRunning = useStore((s) => s.workloadRunning)
  const feed = useStore((s) => s.verdictFeed)
  const [ab, setAb] = useState(false)
  const refused = v ? Object.entries(v.refusedByCode).sort((a, b) => b[1] - a[1]) : []
  const refusedTotal = refused.reduce((s, [, n]) => s + n, 0)
  return (
    <div className="panel verdict-panel" data-testid="verdict-panel">
      <h3>Live checker</h3>
      <p
        className={`verdict-headline${v && v.anomalies > 0 ? ' bad' : ' good'}`}
        data-testid="verdict-headline"
      >
        {v ? v.headline : 'Starting the checker…'}
      </p>
      {v && (
        <p className="meta" data-testid="verdict-counts">
          {v.ok} ok · {v.fail} failed · {v.info} indeterminate · {v.keys} {v.keys === 1 ? 'key' : 'keys'}
          {v.evictedOps > 0 &&
            ` · window ${v.windowOps} ops (${v.evictedOps} older ones counted, no longer shown)`}
        </p>
      )}
      {refusedTotal > 0 && (
        <p className="verdict-refused" data-testid="verdict-refused">
          {refusedTotal} writes refused or indeterminate:{' '}
          {refused.map(([code, n]) => (
            <span key={code} className="refused-code">
              <code>{code}</code> × {n}
            </span>
          ))}
        </p>
      )}
      {workloadRunning && (
        <p className="muted" data-testid="verdict-feed">
          The workload runs {runtime === 'worker' ? 'on the nodes' : 'in the simulator'}; its operations reach
          the checker in batches (every 100 ms){feed.sampleEvery > 1 || feed.dropped > 0 ? ': ' : '.'}
          {feed.sampleEvery > 1 &&
            `at this rate 1 key in ${feed.sampleEvery} is checked (a key's history is whole or absent; ${feed.skipped.toLocaleString('en-US')} ops on other keys not checked)`}
          {feed.dropped > 0 &&
            `${feed.sampleEvery > 1 ? '; ' : ''}${feed.dropped.toLocaleString('en-US')} ops lost to a full buffer, so reads of values the checker never saw are not judged`}
          {feed.sampleEvery > 1 || feed.dropped > 0 ? '.' : ''}
        </p>
      )}
      <div className="form-row">
        <button
          type="button"
          className="btn"
          disabled={final.busy}
          data-testid="verdict-final"
          title="Settles the cluster, runs anti-entropy from every node, then reads each key at ALL: lost acknowledged writes and divergent replicas"
          onClick={() => void runFinalCheck()}
        >
          {final.busy ? 'Checking…' : 'Check after quiescence'}
        </button>
        <button type="button" className="btn" data-testid="ab-open" onClick={() => setAb(!ab)}>
          {ab ? 'Hide A/B compare' : 'A/B compare…'}
        </button>
      </div>
      {final.note && (
        <p className="meta" data-testid="verdict-final-note">
          {final.note}
        </p>
      )}
      {ab && (
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <AbCompare />
        </Suspense>
      )}
      <h3>Anomalies</h3>
      {v && v.list.length === 0 && <p className="muted">None so far.</p>}
      <ul className="anomaly-list" data-testid="anomaly-list">
        {v?.list.map((a) => (
          <AnomalyItem key={a.id} a={a} selected={selId === a.id} />
        ))}
      </ul>
    </div>
  )
}
