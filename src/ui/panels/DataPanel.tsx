/**
 * Data browser: the rows ONE node holds locally (cluster.scan), in key order, paged with `next`.
 * Edits and deletes go through the cluster (put/delete at the console's consistency level).
 */
import { useCallback, useEffect, useState } from 'react'
import type { ScanPage } from '../../cluster/types'
import { CONSISTENCY_LEVELS, type ConsistencyLevel } from '../../core/quorum/consistency'
import { useStore } from '../store/store'
import { NodePicker } from './NodePicker'
import { type OpError, opError } from './opErrors'
import { ClusterRecords, IndexQueryForm, RangeQueryForm } from './QueryForms'
import { pageStatusOf } from './useLiveNodes'

export const DATA_PAGE_ROWS = 12

type Row = ScanPage['rows'][number]

function showValue(v: string | null): string {
  if (v === null) return ''
  return v.length > 40 ? `${v.slice(0, 40)}…` : v
}

export function DataPanel() {
  const generation = useStore((s) => s.generation)
  const firstMember = useStore((s) => s.members[0] ?? '')
  const memberKey = useStore((s) => s.members.join(','))
  const level = useStore((s) => s.opLevel)
  const setLevel = useStore((s) => s.setOpLevel)
  const [node, setNode] = useState(firstMember)
  // Start keys of the pages before this one (Prev pops), this page's start, and the next page's.
  const [history, setHistory] = useState<Array<string | undefined>>([])
  const [start, setStart] = useState<string | undefined>(undefined)
  const [page, setPage] = useState<ScanPage | null>(null)
  const [error, setError] = useState<OpError | null>(null)
  const [loading, setLoading] = useState(false)
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null)
  const [newKey, setNewKey] = useState('')
  const [newValue, setNewValue] = useState('')
  /** The last delete, undoable (its key and the value it had). */
  const [deleted, setDeleted] = useState<{ key: string; value: string } | null>(null)
  const [jump, setJump] = useState('')
  const heldKeys = useStore((s) => s.snapshots[node]?.keyCount ?? 0)

  // A removed node (or a new cluster) sends the browser back to the first node, first page.
  useEffect(() => {
    if (!memberKey.split(',').includes(node)) setNode(firstMember)
  }, [memberKey, node, firstMember])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new cluster restarts paging
  useEffect(() => {
    setHistory([])
    setStart(undefined)
  }, [generation, node])

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the node, page or cluster changes
  const load = useCallback(async () => {
    const c = useStore.getState().cluster
    if (!c || !node) return
    setLoading(true)
    try {
      setPage(await c.scan(node, { start, limit: DATA_PAGE_ROWS }))
      setError(null)
    } catch (e) {
      setPage(null)
      setError(opError(e, pageStatusOf))
    } finally {
      setLoading(false)
    }
  }, [node, start, generation])
  useEffect(() => void load(), [load])

  const write = async (key: string, value: string | null) => {
    const c = useStore.getState().cluster
    if (!c) return
    const opts = level === 'default' ? {} : { level }
    try {
      if (value === null) await c.delete(node, key, opts)
      else await c.put(node, key, value, opts)
    } catch (e) {
      const d = opError(e, pageStatusOf)
      useStore.getState().setError({ code: d.code as never, message: `${key}: ${d.message}` })
    }
    await load()
  }

  const rows: Row[] = page?.rows ?? []
  const pageNo = history.length + 1
  return (
    <div className="panel" data-testid="data-panel">
      <h3>Records held by one node</h3>
      <p className="muted">
        A node stores only the keys whose ranges it replicates; pick a node to browse its local rows in key
        order. Edits go through the cluster at the chosen level.
      </p>
      <div className="form-row">
        <NodePicker label="Node" value={node} onChange={setNode} testId="data-node" />
        <label>
          Level
          <select
            value={level}
            onChange={(e) => setLevel(e.target.value as ConsistencyLevel | 'default')}
            data-testid="data-level"
          >
            <option value="default">default</option>
            {CONSISTENCY_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void load()} data-testid="data-refresh">
          Refresh
        </button>
      </div>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault()
          if (newKey) void write(newKey, newValue).then(() => setNewKey(''))
        }}
      >
        <label className="grow">
          New key
          <input value={newKey} onChange={(e) => setNewKey(e.target.value)} data-testid="data-new-key" />
        </label>
        <label className="grow">
          Value
          <input
            value={newValue}
            onChange={(e) => setNewValue(e.target.value)}
            data-testid="data-new-value"
          />
        </label>
        <button type="submit" className="btn primary" disabled={!newKey}>
          Put
        </button>
      </form>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault()
          setHistory([])
          setStart(jump || undefined)
        }}
      >
        <label className="grow">
          Jump to key
          <input
            value={jump}
            placeholder="first key ≥ this"
            onChange={(e) => setJump(e.target.value)}
            data-testid="data-search"
          />
        </label>
        <button type="submit" className="btn">
          Go
        </button>
        <span className="muted" data-testid="data-counts">
          {rows.length} rows on this page · {node} holds {heldKeys} keys
        </span>
      </form>
      {deleted && (
        <p className="notice-box" data-testid="data-undo-bar">
          Deleted <code>{deleted.key}</code> (a tombstone was written).{' '}
          <button
            type="button"
            className="btn small"
            data-testid="data-undo"
            onClick={() => {
              const d = deleted
              setDeleted(null)
              void write(d.key, d.value)
            }}
          >
            Undo
          </button>
        </p>
      )}
      {error ? (
        <p className="field-error" data-testid="data-error">
          {error.code}: {error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="data-empty">
          {loading
            ? 'Loading…'
            : start === undefined
              ? `${node} holds no rows yet: write from the Console, run a workload, or add a key above.`
              : 'No more rows.'}
        </p>
      ) : (
        <table className="data data-browser" data-testid="data-table">
          <colgroup>
            <col style={{ width: '28%' }} />
            <col />
            <col style={{ width: '16%' }} />
            <col style={{ width: '112px' }} />
          </colgroup>
          <thead>
            <tr>
              <th>key</th>
              <th>value</th>
              <th title="timestamp@writer node">version</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid="data-row">
                <td className="mono">{r.key}</td>
                <td>
                  {editing?.key === r.key ? (
                    <form
                      className="inline-editor"
                      onSubmit={(e) => {
                        e.preventDefault()
                        void write(r.key, editing.value)
                        setEditing(null)
                      }}
                      onKeyDown={(e) => {
                        if (e.key === 'Escape') {
                          e.stopPropagation()
                          setEditing(null)
                        }
                      }}
                    >
                      <input
                        // biome-ignore lint/a11y/noAutofocus: the editor opens on the user's click
                        autoFocus
                        value={editing.value}
                        aria-label={`New value for ${r.key}`}
                        onChange={(e) => setEditing({ key: r.key, value: e.target.value })}
                      />
                      <button type="submit" className="btn small primary" data-testid="data-save">
                        Save
                      </button>
                      <button
                        type="button"
                        className="btn small"
                        data-testid="data-cancel"
                        onClick={() => setEditing(null)}
                      >
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <span className="cell-value" title={r.value ?? ''}>
                      {showValue(r.value)}
                    </span>
                  )}
                </td>
                <td className="mono">{`${r.version.ts}@${r.version.node.replace('node_', '')}`}</td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => setEditing({ key: r.key, value: r.value ?? '' })}
                    aria-label={`Edit ${r.key}`}
                  >
                    edit
                  </button>{' '}
                  <button
                    type="button"
                    className="btn small danger"
                    onClick={() => {
                      setDeleted({ key: r.key, value: r.value ?? '' })
                      void write(r.key, null)
                    }}
                    aria-label={`Delete ${r.key}`}
                  >
                    del
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button
          type="button"
          className="btn small"
          disabled={history.length === 0}
          data-testid="data-prev"
          onClick={() => {
            setStart(history[history.length - 1])
            setHistory(history.slice(0, -1))
          }}
        >
          ‹ Prev
        </button>
        <span data-testid="data-page">page {pageNo}</span>
        <button
          type="button"
          className="btn small"
          disabled={!page?.next}
          data-testid="data-next"
          onClick={() => {
            if (!page?.next) return
            setHistory([...history, start])
            setStart(page.next)
          }}
        >
          Next ›
        </button>
      </div>
      <ClusterRecords />
      <RangeQueryForm />
      <IndexQueryForm />
    </div>
  )
}
