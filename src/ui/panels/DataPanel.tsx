/** Data browser: known keys (written from this page or found in node storage), paged, editable. */
import { useCallback, useEffect, useState } from 'react'
import type { ReadResult } from '../../cluster/types'
import type { StorageInspection } from '../../core/storage/engine'
import { useStore } from '../store/store'
import { type OpError, opError } from './opErrors'

const PAGE = 12

type Row = { key: string; read?: ReadResult; error?: OpError }

function liveNode(): string | null {
  const s = useStore.getState()
  return s.members.find((id) => s.snapshots[id]?.status === 'up') ?? null
}

/** Keys seen in node storage (memtable samples, WAL tails, table bounds). */
async function discoverKeys(): Promise<string[]> {
  const s = useStore.getState()
  const c = s.cluster
  if (!c) return []
  const keys = new Set<string>()
  for (const id of s.members) {
    const st = (await c.inspect(id).catch(() => null))?.storage as StorageInspection | undefined
    if (!st?.memtable) continue
    for (const r of st.memtable.sample) keys.add(r.key)
    for (const r of st.wal.tail) keys.add(r.key)
    for (const l of st.levels) for (const t of l.tables) keys.add(t.minKey).add(t.maxKey)
  }
  return [...keys]
}

export function DataPanel() {
  const keys = useStore((s) => s.knownKeys)
  const generation = useStore((s) => s.generation)
  const [page, setPage] = useState(0)
  const [rows, setRows] = useState<Row[]>([])
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null)
  const [newKey, setNewKey] = useState('')
  const [newValue, setNewValue] = useState('')
  const pages = Math.max(1, Math.ceil(keys.length / PAGE))
  const slice = keys.slice(page * PAGE, page * PAGE + PAGE)
  const sliceKey = slice.join('\n')

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the page's keys or the cluster change
  const load = useCallback(async () => {
    const c = useStore.getState().cluster
    const node = liveNode()
    if (!c || !node) return setRows(slice.map((key) => ({ key })))
    const out = await Promise.all(
      slice.map(async (key): Promise<Row> => {
        try {
          return { key, read: await c.read(node, key) }
        } catch (e) {
          return { key, error: opError(e) }
        }
      }),
    )
    setRows(out)
  }, [sliceKey, generation])
  useEffect(() => void load(), [load])

  const write = async (key: string, value: string | null) => {
    const c = useStore.getState().cluster
    const node = liveNode()
    if (!c || !node) return
    try {
      if (value === null) await c.delete(node, key)
      else await c.put(node, key, value)
      useStore.getState().addKeys([key])
    } catch (e) {
      const d = opError(e)
      useStore.getState().setError({ code: d.code as never, message: `${key}: ${d.message}` })
    }
    await load()
  }

  return (
    <div className="panel" data-testid="data-panel">
      <h3>Records · {keys.length} known keys</h3>
      <div className="form-row">
        <button
          type="button"
          className="btn"
          onClick={async () => useStore.getState().addKeys(await discoverKeys())}
        >
          Find keys in storage
        </button>
        <button type="button" className="btn" onClick={() => void load()}>
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
          <input value={newKey} onChange={(e) => setNewKey(e.target.value)} />
        </label>
        <label className="grow">
          Value
          <input value={newValue} onChange={(e) => setNewValue(e.target.value)} />
        </label>
        <button type="submit" className="btn primary" disabled={!newKey}>
          Add
        </button>
      </form>
      {keys.length === 0 ? (
        <p className="muted">No keys yet: write from the Console, run a workload, or find keys in storage.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>key</th>
              <th>value</th>
              <th>version</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>{r.key}</td>
                <td>
                  {editing?.key === r.key ? (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault()
                        void write(r.key, editing.value)
                        setEditing(null)
                      }}
                    >
                      <input
                        value={editing.value}
                        aria-label={`New value for ${r.key}`}
                        onChange={(e) => setEditing({ key: r.key, value: e.target.value })}
                      />
                    </form>
                  ) : r.error ? (
                    <span className="field-error">{r.error.code}</span>
                  ) : r.read?.value === null ? (
                    <span className="muted">(deleted / absent)</span>
                  ) : (
                    (r.read?.value ?? '…').slice(0, 40)
                  )}
                </td>
                <td>{r.read?.version ? `${r.read.version.ts}@${r.read.version.node.slice(5)}` : ''}</td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => setEditing({ key: r.key, value: r.read?.value ?? '' })}
                    aria-label={`Edit ${r.key}`}
                  >
                    edit
                  </button>{' '}
                  <button
                    type="button"
                    className="btn small danger"
                    onClick={() => void write(r.key, null)}
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
        <button type="button" className="btn small" disabled={page === 0} onClick={() => setPage(page - 1)}>
          ‹ Prev
        </button>
        <span>
          page {Math.min(page + 1, pages)} / {pages}
        </span>
        <button
          type="button"
          className="btn small"
          disabled={page + 1 >= pages}
          onClick={() => setPage(page + 1)}
        >
          Next ›
        </button>
      </div>
    </div>
  )
}
