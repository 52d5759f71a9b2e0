/** Merkle anti-entropy: two replicas' trees for a shared range side by side, mismatches in red, exchanges. */
import { useMemo, useState } from 'react'
import type { ExchangeStats } from '../../core/antiEntropy/exchangeStats'
import { act } from '../actions'
import { nodeIdColor } from '../model/colors'
import {
  bytesSaved,
  exchangePathText,
  type MerkleRangeLike,
  mismatchGrid,
  parseExchangeDetail,
} from '../model/merkleView'
import { useStore } from '../store/store'
import { SyncResult } from './MerkleSync'
import { MerkleTreeView } from './MerkleTreeView'
import { NodePicker } from './NodePicker'
import { usePolledInspect } from './usePolledInspect'

function rangesOf(x: unknown): MerkleRangeLike[] {
  const ranges = (x as { ranges?: unknown } | null | undefined)?.ranges
  return Array.isArray(ranges) ? (ranges as MerkleRangeLike[]) : []
}

function leafCountOf(x: unknown): number {
  const depth = (x as { depth?: unknown } | null | undefined)?.depth
  return typeof depth === 'number' ? 2 ** depth : 0
}

/** The two trees of one range as a "Sync now" exchange compared them (frozen when it started). */
interface Compared {
  a: string
  b: string
  range: number
  ta: MerkleRangeLike
  tb: MerkleRangeLike
  grid: boolean[][]
  exchanging: boolean
  stats: ExchangeStats | null
}

/** Replica A's and B's trees side by side, the mismatch path marked in both. */
function TreePair(props: {
  a: string
  b: string
  ta: MerkleRangeLike
  tb: MerkleRangeLike
  grid: boolean[][]
  exchanging?: boolean
  testPrefix: string
}) {
  const { a, b, ta, tb, grid } = props
  return (
    <div className="trees">
      <div>
        <div className="muted">
          {a} · root {ta.rootHex.slice(0, 8)}
        </div>
        <MerkleTreeView
          node={a}
          levels={ta.levels}
          grid={grid}
          color={nodeIdColor(a)}
          testId={`${props.testPrefix}-a`}
          exchanging={props.exchanging}
        />
      </div>
      <div>
        <div className="muted">
          {b} · root {tb.rootHex.slice(0, 8)}
        </div>
        <MerkleTreeView
          node={b}
          levels={tb.levels}
          grid={grid}
          color={nodeIdColor(b)}
          testId={`${props.testPrefix}-b`}
          exchanging={props.exchanging}
        />
      </div>
    </div>
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
  const [compared, setCompared] = useState<Compared | null>(null)
  const syncNow = async () => {
    setSyncing(true)
    let start: Compared | null = null
    let stats: ExchangeStats[] = []
    const ok = await act('sync now', async (c) => {
      // Freeze the chosen range's trees as they are now, then run that exchange first, so the trees
      // shown are the ones it compares and the path drawn is the one it descends.
      if (chosen !== undefined) {
        setRangeIndex(chosen)
        const [fa, fb] = await Promise.all([c.inspect(a), c.inspect(b)])
        const x = rangesOf(fa.merkle).find((r) => r.rangeIndex === chosen)
        const y = rangesOf(fb.merkle).find((r) => r.rangeIndex === chosen)
        if (x && y) {
          start = {
            a,
            b,
            range: chosen,
            ta: x,
            tb: y,
            grid: mismatchGrid(x.levels, y.levels),
            exchanging: true,
            stats: null,
          }
          setCompared(start)
        }
      }
      const first = chosen !== undefined ? await c.antiEntropy(a, { peer: b, rangeIndex: chosen }) : []
      const rest = await c.antiEntropy(a)
      stats = [...first, ...rest.filter((r) => !(r.peer === b && r.rangeIndex === chosen))]
    })
    setSync(ok ? { node: a, stats } : null)
    const done = start as Compared | null
    if (done)
      setCompared({
        ...done,
        exchanging: false,
        stats: stats.find((x) => x.peer === done.b && x.rangeIndex === done.range) ?? null,
      })
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
  const leafCount = leafCountOf(ia?.merkle)
  const shownCompared = compared && compared.a === a && compared.b === b ? compared : null
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
        <NodePicker label="Replica A" value={a} onChange={setA} testId="merkle-a" />
        <NodePicker label="Replica B" value={b} onChange={setB} testId="merkle-b" />
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
          {shownCompared ? (
            <div className="merkle-compared" data-testid="merkle-compared">
              <p>
                <strong>
                  {shownCompared.exchanging
                    ? `Exchanging range #${shownCompared.range}…`
                    : `Range #${shownCompared.range} as the exchange compared it (before the repair)`}
                </strong>{' '}
                <button
                  type="button"
                  className="btn small"
                  onClick={() => setCompared(null)}
                  data-testid="merkle-live-trees"
                >
                  show the live trees
                </button>
              </p>
              <TreePair
                a={shownCompared.a}
                b={shownCompared.b}
                ta={shownCompared.ta}
                tb={shownCompared.tb}
                grid={shownCompared.grid}
                exchanging={shownCompared.exchanging}
                testPrefix="compared-tree"
              />
              <p className="field-hint" data-testid="merkle-path-text">
                {exchangePathText(shownCompared.grid, leafCount, shownCompared.stats)}
              </p>
            </div>
          ) : (
            ta &&
            tb && (
              <>
                <TreePair a={a} b={b} ta={ta} tb={tb} grid={grid} testPrefix="tree" />
                <p className="muted">
                  Top {ta.levels.length} levels of each tree ({leafCount} leaves below); red nodes differ
                  between the replicas and the thick red links are the path an exchange follows down to them.
                </p>
              </>
            )
          )}
        </>
      )}
      {sync && <SyncResult node={sync.node} stats={sync.stats} />}
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
