/**
 * Transaction records per record holder (the lock owner of each transaction's smallest written
 * key): PENDING → COMMITTED / ABORTED, which replicas acknowledged its rows, and whether the holder
 * rolled it forward itself (its coordinator went silent, or a replica missed the commit).
 */
import type { NodeTxList, TxRecordView } from '../../core/tx/types'

/** The words of a record's state and fate. */
export function recordNote(r: TxRecordView): string {
  if (r.state === 'aborted') return 'aborted: nothing applied'
  if (r.state === 'pending') return 'prepared, not decided yet'
  const acked = `${r.acked.length}/${r.replicas.length} replicas applied`
  if (r.done)
    return r.rolledForward ? 'rolled forward by the record holder, applied everywhere' : 'applied everywhere'
  return r.rolledForward ? `rolling forward (${acked})` : acked
}

const NOWRAP = { whiteSpace: 'nowrap', wordBreak: 'keep-all' } as const

export function TxRecordsTable({ lists }: { lists: NodeTxList[] }) {
  const records = lists.flatMap((n) => (n.records ?? []).map((r) => ({ node: n.node, r })))
  return (
    <>
      <h3>Transaction records (per record holder: the first written key's lock owner)</h3>
      {records.length === 0 ? (
        <p className="muted" data-testid="tx-records-none">
          None
        </p>
      ) : (
        <table className="data" data-testid="tx-records">
          <thead>
            <tr>
              <th style={NOWRAP}>holder</th>
              <th>txId</th>
              <th>record</th>
              <th>keys</th>
              <th>outcome</th>
            </tr>
          </thead>
          <tbody>
            {records.map(({ node, r }) => (
              <tr key={`${node}|${r.txId}|${r.state}`} data-state={r.state}>
                <td style={NOWRAP}>{node}</td>
                <td style={NOWRAP}>
                  <code style={NOWRAP}>{r.txId}</code>
                </td>
                <td style={NOWRAP}>{r.state.toUpperCase()}</td>
                <td>{r.keys.join(', ')}</td>
                <td>{recordNote(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
