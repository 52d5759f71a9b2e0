/** One database node on the canvas: id, status, Lamport clock, storage and replication numbers. */
import { Handle, type NodeProps, Position } from '@xyflow/react'
import { memo } from 'react'
import { useStore } from '../store/store'
import type { DbNodeData } from './deriveFlow'

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

/** The batching windows' tooltip: both windows now, the bound, and what they do. */
export function batchTitle(b: NonNullable<DbNodeData['batching']>): string {
  return `Batching window now: group commit ${b.commitMs} ms, replicate batch ${b.sendMs} ms (bound ${b.maxMs} ms; opens under load to share transactions and messages, 0 when idle)`
}

function DbNodeViewInner({ data }: NodeProps & { data: DbNodeData }) {
  const openMenu = useStore((s) => s.openMenu)
  const d = data
  return (
    <div
      className={`db-node status-${d.status}${d.compact ? ' compact' : ''}`}
      style={{ ['--node-color' as string]: d.color }}
      data-testid={`db-node-${d.id}`}
      data-status={d.status}
      title={d.statusNote ? `${d.id}: ${d.statusBadge} — ${d.statusNote}` : undefined}
      onContextMenu={(e) => {
        e.preventDefault()
        openMenu(d.id)
      }}
    >
      <Handle type="target" position={Position.Top} className="center-handle" isConnectable={false} />
      <Handle type="source" position={Position.Top} className="center-handle" isConnectable={false} />
      <div className="db-node-head">
        <span className="db-node-dot" />
        <strong>{d.id}</strong>
        <span className={`badge badge-${d.status}`} data-testid={`badge-${d.id}`}>
          {d.statusBadge}
        </span>
        {d.cache && !d.compact && (
          <span
            className="db-node-cache"
            title={`Read cache: ${d.cache.hits} hits / ${d.cache.misses} misses`}
            data-testid={`cache-${d.id}`}
          >
            {d.cache.hits}/{d.cache.misses}
          </span>
        )}
        {!!d.siblingKeys && (
          <span
            className="badge badge-count badge-siblings"
            data-testid={`sibling-keys-${d.id}`}
            title={`${d.siblingKeys} key(s) here hold more than one sibling (concurrent writes kept)`}
          >
            {d.siblingKeys} sib
          </span>
        )}
        {!!d.crdtKeys && (
          <span
            className="badge badge-count"
            data-testid={`crdt-keys-${d.id}`}
            title={`${d.crdtKeys} CRDT key(s) held here`}
          >
            {d.crdtKeys} crdt
          </span>
        )}
        {d.warning && (
          <span className="db-node-warn" title={d.warning} role="img" aria-label={`Warning: ${d.warning}`}>
            ⚠
          </span>
        )}
        <button
          type="button"
          className="icon-btn nodrag node-menu-btn"
          aria-label={`Actions for ${d.id}`}
          title="Actions (kill, restart, pause, skew clock)"
          onClick={(e) => {
            e.stopPropagation()
            openMenu(d.id)
          }}
        >
          ⋮
        </button>
      </div>
      {d.failure && (
        <div className="db-node-failure" data-testid={`failure-${d.id}`} title={d.failure.message}>
          <code>{d.failure.code}</code> {d.failure.message}
        </div>
      )}
      {!d.compact && !d.failure && (
        <dl className="db-node-stats">
          <dt>clock</dt>
          <dd>{d.clock}</dd>
          <dt>keys</dt>
          <dd>{d.keyCount}</dd>
          <dt>mem</dt>
          <dd>{kb(d.memtableBytes)}</dd>
          <dt>tables</dt>
          <dd title="SSTables per level (L0/L1/…)">
            {d.tablesPerLevel.length ? d.tablesPerLevel.join('/') : '–'}
          </dd>
          <dt>hints</dt>
          <dd className={d.hintsHeld ? 'hot' : ''}>{d.hintsHeld}</dd>
          <dt>backlog</dt>
          <dd
            className={d.backlog ? 'hot' : ''}
            title="Replication log entries not yet acknowledged by peers"
          >
            {d.backlog}
          </dd>
          {d.batching && (
            <>
              <dt>batch</dt>
              <dd
                className={d.batching.commitMs || d.batching.sendMs ? 'hot' : ''}
                title={batchTitle(d.batching)}
                data-testid={`batch-window-${d.id}`}
              >
                {Math.max(d.batching.commitMs, d.batching.sendMs)} ms
              </dd>
            </>
          )}
        </dl>
      )}
      {d.compact && !d.failure && (
        <div
          className="db-node-mini"
          title={`${d.keyCount} keys · ${d.hintsHeld} hints held · replication backlog ${d.backlog}${d.batching ? ` · ${batchTitle(d.batching)}` : ''}`}
        >
          {d.status !== 'up' && <span className={`badge badge-${d.status}`}>{d.statusBadge}</span>}
          {d.keyCount} keys · {d.hintsHeld} hints
        </div>
      )}
      {d.statusNote && !d.compact && (
        <div className="db-node-skew" data-testid={`status-note-${d.id}`}>
          {d.statusNote}
        </div>
      )}
      {d.clockSkewMs !== 0 && <div className="db-node-skew">clock skew {d.clockSkewMs} ms</div>}
    </div>
  )
}

export const DbNodeView = memo(DbNodeViewInner)
