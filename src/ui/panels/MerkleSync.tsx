/** A "Sync now" round's figures: what was sent against a full transfer, only the differing exchanges listed. */
import { useState } from 'react'
import type { ExchangeStats } from '../../core/antiEntropy/exchangeStats'
import { savingText } from '../model/merkleView'

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

/** The figures of a "Sync now" round: one row per exchange the replica started. */
export function SyncResult({ node, stats }: { node: string; stats: ExchangeStats[] }) {
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
