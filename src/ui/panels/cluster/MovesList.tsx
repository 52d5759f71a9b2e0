/** Data movements: each running move with its progress bar (bytes, rows, time left), then the last finished. */
import type { MoveProgress, MovesView } from '../../../cluster/moveProgress'
import { formatBytes, movedIds, moveEtaText, moveStatus } from '../../model/partitionView'
import { NodeChip } from '../NodeChip'

function partitionsText(m: MoveProgress): string {
  const ids = movedIds(m)
  if (ids.length === 0) return 'no partition changes owner'
  const shown = ids.slice(0, 8).join(', ')
  return `partition${ids.length === 1 ? '' : 's'} ${shown}${ids.length > 8 ? ` and ${ids.length - 8} more` : ''}`
}

function MoveRow({ m }: { m: MoveProgress }) {
  const { step, fraction, detail } = moveStatus(m)
  const running = m.phase === 'copying' || m.phase === 'catching-up'
  const pct = Math.round(fraction * 100)
  return (
    <li className={`move move-${m.phase}`} data-testid="move" data-phase={m.phase} data-kind={m.kind}>
      <div className="move-head">
        <strong>{m.label}</strong> <span className="muted">· {partitionsText(m)}</span>
      </div>
      <div className="move-nodes">
        {m.from.map((n) => (
          <NodeChip key={`f${n}`} id={n} />
        ))}
        <span aria-hidden="true"> → </span>
        <span className="sr-only">to</span>
        {m.to.map((n) => (
          <NodeChip key={`t${n}`} id={n} />
        ))}
      </div>
      <p className="move-step">{step}</p>
      {m.phase !== 'failed' && (
        <div
          className="move-bar"
          role="progressbar"
          aria-label={`${m.label}: ${step}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          data-testid="move-bar"
        >
          <div className="move-fill" style={{ width: `${pct}%` }} />
        </div>
      )}
      <p className="move-detail" data-testid="move-detail">
        {detail}
        {running
          ? ` · ${moveEtaText(m)}${m.rateBytesPerSec > 0 ? ` at ${formatBytes(m.rateBytesPerSec)}/s` : ' (no rate limit)'}`
          : ''}
      </p>
    </li>
  )
}

export function MovesList({
  moves,
  recentMax = 3,
  show = 'all',
}: {
  moves: MovesView
  recentMax?: number
  /** 'active' or 'recent' alone (the Cluster tab keeps running moves in view while it scrolls). */
  show?: 'all' | 'active' | 'recent'
}) {
  const recent = show === 'active' ? [] : moves.recent.slice(0, recentMax)
  if (show === 'active' && moves.active.length === 0) return null
  return (
    <section
      className={`moves${show === 'active' ? ' moves-sticky' : ''}`}
      aria-label={show === 'active' ? 'Data movements in progress' : 'Data movements'}
      data-testid={show === 'active' ? 'moves-running' : 'moves'}
    >
      {moves.active.length === 0 && recent.length === 0 && show !== 'active' && (
        <p className="muted">
          No data movement yet. Adding or removing a node, a split, merge, transfer or rebalance streams rows
          to their new owners here, with progress.
        </p>
      )}
      {moves.active.length > 0 && show !== 'recent' && (
        <ul className="move-list" data-testid="moves-active">
          {moves.active.map((m) => (
            <MoveRow key={m.id} m={m} />
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <>
          <h4 className="moves-recent-title">Finished</h4>
          <ul className="move-list" data-testid="moves-recent">
            {recent.map((m) => (
              <MoveRow key={m.id} m={m} />
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
