/** Merkle anti-entropy: two replicas' trees for a shared range side by side, mismatches in red, exchanges. */
import { useMemo, useState } from 'react'
import type { ExchangeStats } from '../../core/antiEntropy/exchangeStats'
import { act } from '../actions'
import { nodeIdColor } from '../model/colors'
import {
  bytesSaved,
  type MerkleRangeLike,
  mismatchGrid,
  parseExchangeDetail,
  savingText,
} from '../model/merkleView'
import { useStore } from '../store/store'
import { NodePicker } from './NodePicker'
import { usePolledInspect } from './usePolledInspect'

function rangesOf(x: unknown): MerkleRangeLike[] {
  const ranges = (x as { ranges?: unknown } | null | undefined)?.ranges
  return Array.isArray(ranges) ? (ranges as MerkleRangeLike[]) : []
}

function Tree({
  levels,
  grid,
  color,
  testId,
}: {
  levels: string[][]
  grid: boolean[][]
  color: string
  testId: string
}) {
  return (
    <div className="tree" data-testid={testId} style={{ borderTop: `3px solid ${color}`, paddingTop: 6 }}>
      {levels.map((lvl, l) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a tree level is identified by its depth
        <div className="tree-level" key={l}>
          {lvl.map((h, i) => (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: a tree node is identified by its position
              key={i}
              className={`tree-cell${grid[l]?.[i] ? ' mismatch' : ''}${/^0+$/.test(h) ? ' empty' : ''}`}
              title={`level ${l} #${i}: ${h}`}
            />
          ))}
        </div>
      ))}
    </div>
  )
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

/** The figures of a "Sync now" round: one row per exchange the replica started. */
function SyncResult({ node, stats }: { node: string; stats: ExchangeStats[] }) {
  const sum = (f: (x: ExchangeStats) => number) => stats.reduce((t, x) => t + f(x), 0)
  const sent = sum((x) => x.bytesSent)
  const full = sum((x) => x.fullTransferBytes)
  return (
    <div className="sync-result" data-testid="merkle-sync-result">
      <p>
        <strong>{node}</strong> compared {stats.length} range{stats.length === 1 ? '' : 's'} with its peers:{' '}
        {sum((x) => x.mismatchedLeaves)} mismatched leaves, {sum((x) => x.keysSent)} keys sent,{' '}
        {sum((x) => x.keysReceived)} received ({sum((x) => x.keysApplied)} applied) · {kb(sent)} on the wire
        vs {kb(full)} for a full transfer
        {full > 0 ? ` (${Math.round((100 * Math.max(0, full - sent)) / full)}% saved)` : ''}.
      </p>
      <p className="field-hint" data-testid="merkle-saving-text">
        {savingText(sent, full)}
      </p>
      {stats.length > 0 && <MismatchTable stats={stats} />}
    </div>
  )
}

/** Only the exchanges that found differences (or failed) are listed; the matching ones are counted. */
function MismatchTable({ stats }: { stats: ExchangeStats[] }) {
  const [all, setAll] = useState(false)
  const differing = stats.filter((x) => x.mismatchedLeaves > 0 || x.keysSent + x.keysReceived > 0 || x.error)
  const shown = all ? stats : differing
  const hidden = stats.length - differing.length
  return (
    <>
      <p className="muted" data-testid="merkle-mismatch-summary">
        {differing.length} of {stats.length} exchanges found differences
        {hidden > 0 && (
          <>
            {' '}
            ·{' '}
            <button
              type="button"
              className="btn small"
              onClick={() => setAll(!all)}
              data-testid="merkle-show-all"
            >
              {all ? 'only differing' : `show the ${hidden} matching`}
            </button>
          </>
        )}
      </p>
      {shown.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th>peer</th>
              <th>range</th>
              <th title="Tree levels compared before reaching the leaves">levels</th>
              <th>leaves≠</th>
              <th>keys sent/recv</th>
              <th>bytes / full</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((x) => (
              <tr key={`${x.peer}-${x.rangeIndex}`}>
                <td>{x.peer}</td>
                <td>#{x.rangeIndex}</td>
                <td>{x.levelsCompared}</td>
                <td>{x.mismatchedLeaves}</td>
                <td>
                  {x.keysSent}/{x.keysReceived}
                </td>
                <td>
                  {kb(x.bytesSent)} / {kb(x.fullTransferBytes)}
                  {x.error ? ` ⚠ ${x.error}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

export function MerklePanel() {
  const members = useStore((s) => s.members.join(','))
  const ids = members.split(',')
  const [a, setA] = useState(ids[0] ?? '')
  const [b, setB] = useState(ids[1] ?? '')
  const [rangeIndex, setRangeIndex] = useState<number | null>(null)
  const [sync, setSync] = useState<{ node: string; stats: ExchangeStats[] } | null>(null)
  const [syncing, setSyncing] = useState(false)
  const syncNow = async () => {
    setSyncing(true)
    let stats: ExchangeStats[] = []
    const ok = await act('sync now', async (c) => {
      stats = await c.antiEntropy(a)
    })
    setSync(ok ? { node: a, stats } : null)
    setSyncing(false)
  }
  const ia = usePolledInspect(a, 1000)
  const ib = usePolledInspect(b, 1000)
  const ra = rangesOf(ia?.merkle)
  const rb = rangesOf(ib?.merkle)
  const shared = ra.filter((r) => rb.some((x) => x.rangeIndex === r.rangeIndex))
  const chosen =
    rangeIndex ??
    shared.find((r) => r.rootHex !== rb.find((x) => x.rangeIndex === r.rangeIndex)?.rootHex)?.rangeIndex ??
    shared[0]?.rangeIndex
  const ta = ra.find((r) => r.rangeIndex === chosen)
  const tb = rb.find((r) => r.rangeIndex === chosen)
  const grid = useMemo(() => (ta && tb ? mismatchGrid(ta.levels, tb.levels) : []), [ta, tb])
  const events = useStore((s) => s.merkleEvents)
  const exchanges = events
    .map((e) => ({ e, d: parseExchangeDetail(e.detail) }))
    .filter((x) => x.d !== null)
    .reverse()
    .slice(0, 12)
  const totals = exchanges.reduce(
    (t, x) => ({
      sent: t.sent + x.d!.bytesSent,
      full: t.full + x.d!.fullTransferBytes,
      keys: t.keys + x.d!.keysSent + x.d!.keysReceived,
    }),
    { sent: 0, full: 0, keys: 0 },
  )
  const diverged = shared.filter(
    (r) => r.rootHex !== rb.find((x) => x.rangeIndex === r.rangeIndex)?.rootHex,
  ).length
  return (
    <div className="panel" data-testid="merkle-panel">
      <h3>Merkle anti-entropy</h3>
      <div className="form-row">
        <NodePicker label="Replica A" value={a} onChange={setA} />
        <NodePicker label="Replica B" value={b} onChange={setB} />
        <label>
          Range
          <select value={chosen ?? ''} onChange={(e) => setRangeIndex(Number(e.target.value))}>
            {shared.map((r) => (
              <option key={r.rangeIndex} value={r.rangeIndex}>
                #{r.rangeIndex} ({r.keys} keys)
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn primary"
          disabled={!a || syncing}
          onClick={() => void syncNow()}
          data-testid="merkle-sync"
          title="Run one Merkle anti-entropy round from replica A now"
        >
          {syncing ? 'Syncing…' : `Sync ${a || 'A'} now`}
        </button>
      </div>
      {sync && <SyncResult node={sync.node} stats={sync.stats} />}
      {shared.length === 0 ? (
        <p className="muted" data-testid="merkle-empty">
          {ia && ib
            ? 'These replicas share no range (or Merkle data is not available yet).'
            : 'Loading trees…'}
        </p>
      ) : (
        <>
          <p className="muted">
            {shared.length} shared ranges · <strong data-testid="merkle-diverged">{diverged}</strong> with
            different roots
          </p>
          {ta && tb && (
            <div className="trees">
              <div>
                <div className="muted">
                  {a} · root {ta.rootHex.slice(0, 8)}
                </div>
                <Tree levels={ta.levels} grid={grid} color={nodeIdColor(a)} testId="tree-a" />
              </div>
              <div>
                <div className="muted">
                  {b} · root {tb.rootHex.slice(0, 8)}
                </div>
                <Tree levels={tb.levels} grid={grid} color={nodeIdColor(b)} testId="tree-b" />
              </div>
            </div>
          )}
        </>
      )}
      <h3>Recent exchanges</h3>
      {exchanges.length === 0 ? (
        <p className="muted" data-testid="merkle-no-exchange">
          No exchange yet — anti-entropy runs every{' '}
          {useStore.getState().options?.antiEntropyIntervalMs ?? '?'} ms.
        </p>
      ) : (
        <>
          <div className="stat-grid">
            <div className="stat">
              <span>keys streamed</span>
              <strong>{totals.keys}</strong>
            </div>
            <div className="stat">
              <span>bytes sent</span>
              <strong>{totals.sent}</strong>
            </div>
            <div className="stat">
              <span>saved vs full</span>
              <strong data-testid="merkle-saved">
                {totals.full
                  ? Math.round(
                      (100 * bytesSaved({ bytesSent: totals.sent, fullTransferBytes: totals.full })) /
                        totals.full,
                    )
                  : 0}
                %
              </strong>
            </div>
          </div>
          <table className="data">
            <thead>
              <tr>
                <th>pair</th>
                <th>range</th>
                <th>leaves≠</th>
                <th>keys ⇄</th>
                <th>bytes / full</th>
              </tr>
            </thead>
            <tbody>
              {exchanges.map(({ e, d }, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: exchanges have no id
                <tr key={`${e.t}-${i}`}>
                  <td>
                    {e.node.slice(5)}↔{d!.peer.slice(5)}
                  </td>
                  <td>#{d!.rangeIndex}</td>
                  <td>{d!.mismatchedLeaves}</td>
                  <td>
                    {d!.keysSent}/{d!.keysReceived}
                  </td>
                  <td>
                    {d!.bytesSent}/{d!.fullTransferBytes}
                    {d!.error ? ` ⚠ ${d!.error}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}
