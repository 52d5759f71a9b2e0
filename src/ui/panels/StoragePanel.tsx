/** Storage inspector for one node: WAL tail, memtable sample, SSTables per level, compactions, write amp. */
import { useState } from 'react'
import type { StorageActionResult } from '../../core/node/storageControl'
import type { StorageInspection } from '../../core/storage/engine'
import { act } from '../actions'
import { storageActionText } from '../model/storageView'
import { relTimeText } from '../model/timeText'
import { useStore } from '../store/store'
import { NodePicker } from './NodePicker'
import { SstLevels } from './SstLevels'
import { usePolledInspect } from './usePolledInspect'

function isStorage(x: unknown): x is StorageInspection {
  return typeof x === 'object' && x !== null && 'wal' in x && 'levels' in x
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

/** "Flush now" / "Compact now" on the chosen node, and what the last press did. */
function StorageButtons({ node }: { node: string }) {
  const [busy, setBusy] = useState(false)
  const [said, setSaid] = useState<{ node: string; text: string } | null>(null)
  const run = async (action: 'flush' | 'compact') => {
    setBusy(true)
    let result: StorageActionResult | null = null
    await act(action === 'flush' ? 'flush now' : 'compact now', async (c) => {
      result = await c[action](node)
    })
    if (result) setSaid({ node, text: `${node}: ${storageActionText(result)}` })
    setBusy(false)
  }
  return (
    <div className="form-row storage-actions">
      <button
        type="button"
        className="btn"
        disabled={busy || !node}
        onClick={() => void run('flush')}
        data-testid="storage-flush"
        title="Write this node's memtable to a new level-0 SSTable now"
      >
        Flush now
      </button>
      <button
        type="button"
        className="btn"
        disabled={busy || !node}
        onClick={() => void run('compact')}
        data-testid="storage-compact"
        title="Merge every SSTable of this node into its deepest level now"
      >
        Compact now
      </button>
      {said && said.node === node && (
        <span className="field-hint" data-testid="storage-action-result" role="status">
          {said.text}
        </span>
      )}
    </div>
  )
}

export function StoragePanel() {
  const selected = useStore((s) => s.inspectNode ?? s.members[0] ?? null)
  const setInspectNode = useStore((s) => s.setInspectNode)
  const data = usePolledInspect(selected, 500)
  const st = isStorage(data?.storage) ? data.storage : null
  const memMax = useStore((s) => s.options?.memtableBytesMax ?? 0)
  const origin = useStore((s) => s.timeOriginMs)
  // Read at render (the panel re-renders with every 0.5 s poll), not as a store selector.
  const now = useStore.getState().cluster?.time.nowMs ?? 0
  return (
    <div className="panel" data-testid="storage-panel">
      <div className="form-row">
        <NodePicker label="Node" value={selected ?? ''} onChange={setInspectNode} testId="storage-node" />
        <span className="muted">refreshes every 0.5 s</span>
      </div>
      {!data && <p className="muted">Loading…</p>}
      {data && !st && (
        <p className="muted">
          {data.status === 'down' || data.status === 'failed'
            ? `${data.id} is ${data.status}.`
            : 'No storage data.'}
        </p>
      )}
      {st && (
        <>
          <div className="stat-grid">
            <div className="stat">
              <span>keys (est.)</span>
              <strong>{st.keyCountEstimate}</strong>
            </div>
            <div className="stat">
              <span>write amp.</span>
              <strong>{st.writeAmplification.toFixed(2)}×</strong>
            </div>
            <div className="stat">
              <span>block cache</span>
              <strong>
                {st.blockCache.hits}/{st.blockCache.hits + st.blockCache.misses}
              </strong>
            </div>
          </div>
          <h3>
            WAL · {st.wal.entries} entries · {st.wal.bytes} B
          </h3>
          <table className="data">
            <tbody>
              {st.wal.tail.slice(-8).map((r) => (
                <tr key={r.seq}>
                  <td>#{r.seq}</td>
                  <td>{r.key}</td>
                  <td>{r.tombstone ? 'tombstone' : 'put'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>
            Memtable · {st.memtable.entries} entries · {kb(st.memtable.bytes)}
          </h3>
          {memMax > 0 && (
            <div className="mem-fill" title={`Flushed to a level-0 SSTable at ${kb(memMax)}`}>
              <div style={{ width: `${Math.min(100, (100 * st.memtable.bytes) / memMax)}%` }} />
              <span>
                {Math.round((100 * st.memtable.bytes) / memMax)}% of {kb(memMax)} — flushes to an SSTable when
                full; 4 level-0 tables are compacted into level 1
              </span>
            </div>
          )}
          <p>
            {st.memtable.sample.slice(0, 16).map((r) => (
              <span key={r.key} className="sst" style={{ marginRight: 3, display: 'inline-block' }}>
                {r.tombstone ? '✝ ' : ''}
                {r.key}
              </span>
            ))}
            {st.memtable.sample.length === 0 && <span className="muted">empty</span>}
          </p>
          <StorageButtons node={selected ?? ''} />
          <h3>SSTables per level</h3>
          <SstLevels node={selected ?? ''} levels={st.levels} />
          <h3>Compactions</h3>
          {st.compactions.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>at</th>
                  <th>levels</th>
                  <th>tables</th>
                  <th>entries</th>
                  <th>bytes out</th>
                </tr>
              </thead>
              <tbody>
                {st.compactions.slice(-8).map((c) => (
                  <tr
                    key={`${c.atMs}-${c.fromLevel}`}
                    data-testid="compaction-row"
                    className={now - c.atMs < 3000 ? 'just-compacted' : undefined}
                  >
                    <td>{relTimeText(c.atMs - origin)}</td>
                    <td>
                      L{c.fromLevel}→L{c.toLevel}
                    </td>
                    <td>{c.tablesIn}</td>
                    <td>
                      {c.entriesIn}→{c.entriesOut}
                    </td>
                    <td>{c.bytesOut}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  )
}
