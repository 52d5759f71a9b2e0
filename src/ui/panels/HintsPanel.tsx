/** Hints per holder and per intended owner; they drain as owners come back. */
import { useShallow } from 'zustand/react/shallow'
import { drainText } from '../model/hintDrains'
import { useStore } from '../store/store'
import { NodeChip } from './NodeChip'

export function HintsPanel() {
  const rows = useStore(
    useShallow((s) =>
      s.members
        .map((id) => s.snapshots[id])
        .filter((snap) => snap && (snap.hintsHeld > 0 || Object.keys(snap.hintsByTarget).length > 0)),
    ),
  )
  const { drains, n, nodes, sloppy } = useStore(
    useShallow((s) => ({
      drains: s.hintDrains,
      n: s.options?.replicationFactor ?? 0,
      nodes: s.members.length,
      sloppy: s.options?.sloppyQuorum ?? true,
    })),
  )
  const max = Math.max(1, ...rows.flatMap((r) => Object.values(r.hintsByTarget)))
  const total = rows.reduce((n, r) => n + r.hintsHeld, 0)
  return (
    <div className="panel" data-testid="hints-panel">
      <h3>Hinted handoff</h3>
      <p className="muted">
        With a sloppy quorum, a healthy stand-in stores writes for a down owner as <em>hints</em>, and replays
        them when the owner returns. On the canvas a dashed orange arrow points from the down owner to its
        stand-in while the hints wait, and reverses (stand-in → owner) while they are delivered.
      </p>
      <div className="stat-grid">
        <div className="stat">
          <span>hints held</span>
          <strong data-testid="hints-total">{total}</strong>
        </div>
        <div className="stat">
          <span>holders</span>
          <strong>{rows.filter((r) => r.hintsHeld > 0).length}</strong>
        </div>
        <div className="stat">
          <span>bytes</span>
          <strong>{rows.reduce((n, r) => n + r.hintBytes, 0)}</strong>
        </div>
      </div>
      {!sloppy ? (
        <p className="notice-box" data-testid="hints-why-none">
          Sloppy quorum is off, so no node stands in for a down owner and no hints are written (writes that
          miss their quorum fail instead). Turn it on in Cluster setup.
        </p>
      ) : n >= nodes ? (
        <p className="notice-box" data-testid="hints-why-none">
          N = {n} with {nodes} nodes: every node owns every key, so there is no other node to stand in for a
          down owner and a kill leaves no hints. Create a cluster with more nodes than N (e.g. 5 nodes, N =
          3).
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted">
          No hints held. Kill a node (drag it to the kill area) and write some keys; restart it to watch them
          drain.
        </p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>holder</th>
              <th>for owner</th>
              <th>hints</th>
              <th>state</th>
              <th style={{ width: '30%' }} />
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((r) =>
              Object.entries(r.hintsByTarget).map(([owner, n]) => (
                <tr key={`${r.id}>${owner}`} data-testid="hint-row">
                  <td>
                    <NodeChip id={r.id} standin />
                  </td>
                  <td>
                    <NodeChip id={owner} />
                  </td>
                  <td data-testid="hint-count">{n}</td>
                  <td data-testid="hint-state">
                    {r.peerViews[owner] === 'up'
                      ? `delivering (${owner} is back)`
                      : `waiting (${owner} is down)`}
                  </td>
                  <td>
                    <div className="bar" style={{ width: `${(100 * n) / max}%` }} />
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {drains.length > 0 && (
        <>
          <h3>Deliveries</h3>
          <ul className="hint-drains" data-testid="hint-drains">
            {drains
              .slice()
              .reverse()
              .map((d) => (
                <li key={`${d.holder}>${d.owner}@${d.firstMs}`} data-testid="hint-drain">
                  {drainText(d)}
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  )
}
