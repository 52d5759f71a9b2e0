/**
 * Transactions (issue #15): begin one on a node, add ops (put, delete, getForUpdate), commit or
 * abort; every live node's open transactions and the locks it holds as lock owner. A refused op or
 * a failed commit says why, in words (txWords.ts), with its code.
 */
import { useCallback, useEffect, useState } from 'react'
import type { NodeTxList } from '../../core/tx/types'
import { useStore } from '../store/store'
import { NodePicker } from './NodePicker'
import { TxRecordsTable } from './TxRecordsTable'
import { type TxProblem, txProblem } from './txWords'

type OpKind = 'put' | 'delete' | 'getForUpdate'

/** How often the open-transactions list refreshes, ms. */
const LIST_REFRESH_MS = 1000

interface LogLine {
  text: string
  problem?: TxProblem
}

export function TransactionsPanel() {
  const generation = useStore((s) => s.generation)
  const firstMember = useStore((s) => s.members[0] ?? '')
  const [via, setVia] = useState(firstMember)
  const [txId, setTxId] = useState<string | null>(null)
  const [op, setOp] = useState<OpKind>('put')
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const [log, setLog] = useState<LogLine[]>([])
  const [result, setResult] = useState<LogLine | null>(null)
  const [lists, setLists] = useState<NodeTxList[]>([])
  const [busy, setBusy] = useState(false)

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new cluster starts over
  useEffect(() => {
    setTxId(null)
    setLog([])
    setResult(null)
  }, [generation])

  const refresh = useCallback(async () => {
    const c = useStore.getState().cluster
    if (!c) return
    try {
      setLists(await c.listTransactions())
    } catch {}
  }, [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: poll while the panel is open, per cluster
  useEffect(() => {
    void refresh()
    const t = setInterval(() => void refresh(), LIST_REFRESH_MS)
    return () => clearInterval(t)
  }, [refresh, generation])

  /** Runs one call; its outcome goes to the log (ops) or the result line (begin/commit/abort). */
  const act = async (fn: () => Promise<string>, toLog: boolean) => {
    setBusy(true)
    try {
      const text = await fn()
      if (toLog) setLog((l) => [...l, { text }])
      else setResult({ text })
    } catch (e) {
      const problem = txProblem(e)
      if (toLog) setLog((l) => [...l, { text: 'refused', problem }])
      else setResult({ text: 'refused', problem })
    } finally {
      setBusy(false)
      void refresh()
    }
  }

  const cluster = () => {
    const c = useStore.getState().cluster
    if (!c) throw new Error('no cluster')
    return c
  }
  const begin = () =>
    act(async () => {
      const id = await cluster().beginTransaction(via || firstMember)
      setTxId(id)
      setLog([])
      return `began ${id} on ${via || firstMember}`
    }, false)
  const addOp = () => {
    if (!txId) return
    const k = key
    act(async () => {
      const c = cluster()
      if (op === 'put') {
        await c.put(via, k, value, { txId })
        return `put ${k} = ${value} (buffered)`
      }
      if (op === 'delete') {
        await c.delete(via, k, { txId })
        return `delete ${k} (buffered)`
      }
      const v = await c.getForUpdate(txId, k)
      return `getForUpdate ${k} → ${v === null ? 'absent' : v} (locked)`
    }, true)
  }
  const commit = () => {
    if (!txId) return
    act(async () => {
      const r = await cluster().commitTransaction(txId)
      setTxId(null)
      const where =
        r.durable === 'record'
          ? ' (decided; fewer than W replicas so far: its record holder rolls it forward)'
          : ''
      return `committed ${r.txId}: ${r.rows} row${r.rows === 1 ? '' : 's'} at version ${r.version.ts}@${r.version.node}${where}`
    }, false)
  }
  const abort = () => {
    if (!txId) return
    act(async () => {
      await cluster().abortTransaction(txId)
      setTxId(null)
      return `aborted ${txId}`
    }, false)
  }

  const open = lists.flatMap((n) => n.transactions.map((t) => ({ node: n.node, t })))
  const locks = lists.flatMap((n) => n.locks.map((l) => ({ node: n.node, l })))
  return (
    <div className="panel" data-testid="tx-panel">
      <section className="query-section">
        <h3>Transaction</h3>
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault()
            void begin()
          }}
        >
          <NodePicker label="Coordinator" value={via} onChange={setVia} testId="tx-node" />
          <button type="submit" className="btn primary" disabled={busy} data-testid="tx-begin">
            Begin
          </button>
          <span className="muted" data-testid="tx-current">
            {txId ? `current: ${txId}` : 'none open'}
          </span>
        </form>
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault()
            addOp()
          }}
        >
          <label>
            Op
            <select value={op} onChange={(e) => setOp(e.target.value as OpKind)} data-testid="tx-op">
              <option value="put">put</option>
              <option value="delete">delete</option>
              <option value="getForUpdate">getForUpdate</option>
            </select>
          </label>
          <label>
            Key
            <input value={key} onChange={(e) => setKey(e.target.value)} size={10} data-testid="tx-key" />
          </label>
          {op === 'put' && (
            <label>
              Value
              <input
                value={value}
                onChange={(e) => setValue(e.target.value)}
                size={10}
                data-testid="tx-value"
              />
            </label>
          )}
          <button type="submit" className="btn" disabled={!txId || !key || busy} data-testid="tx-add">
            Add op
          </button>
        </form>
        {log.length > 0 && (
          <ol className="tx-log" data-testid="tx-log">
            {log.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log
              <li key={i} className={line.problem ? 'field-error' : undefined}>
                {line.problem ? `${line.problem.code}: ${line.problem.words}` : line.text}
              </li>
            ))}
          </ol>
        )}
        <div className="form-row">
          <button
            type="button"
            className="btn primary"
            disabled={!txId || busy}
            onClick={commit}
            data-testid="tx-commit"
          >
            Commit
          </button>
          <button
            type="button"
            className="btn"
            disabled={!txId || busy}
            onClick={abort}
            data-testid="tx-abort"
          >
            Abort
          </button>
        </div>
        {result && (
          <p
            className={result.problem ? 'field-error' : 'muted'}
            data-testid={result.problem ? 'tx-error' : 'tx-result'}
          >
            {result.problem ? `${result.problem.code}: ${result.problem.words}` : result.text}
          </p>
        )}
      </section>
      <section className="query-section">
        <h3>Open transactions (per coordinator node)</h3>
        {open.length === 0 ? (
          <p className="muted" data-testid="tx-open-none">
            None
          </p>
        ) : (
          <table className="data" data-testid="tx-open">
            <thead>
              <tr>
                <th>node</th>
                <th>txId</th>
                <th>state</th>
                <th>buffered</th>
                <th>locks</th>
              </tr>
            </thead>
            <tbody>
              {open.map(({ node, t }) => (
                <tr key={t.txId} title={t.failure ? `${t.failure.code}: ${t.failure.message}` : undefined}>
                  <td>{node}</td>
                  <td>
                    <code>{t.txId}</code>
                  </td>
                  <td
                    title={
                      t.snapshotTs === undefined
                        ? undefined
                        : `every read of this transaction sees the database as of Lamport time ${t.snapshotTs}`
                    }
                  >
                    {t.failure ? `${t.state} (${t.failure.code})` : t.state}
                    {t.snapshotTs === undefined ? '' : ` · snapshot @${t.snapshotTs}`}
                  </td>
                  <td>
                    {t.writes
                      .map((w) => (w.value === null ? `del ${w.key}` : `${w.key}=${w.value}`))
                      .join(', ')}
                  </td>
                  <td>{t.locks.map((l) => `${l.key} ${l.mode}@${l.owner}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>Locks (per lock owner: each key's first owner)</h3>
        {locks.length === 0 ? (
          <p className="muted" data-testid="tx-locks-none">
            None
          </p>
        ) : (
          <table className="data" data-testid="tx-locks">
            <thead>
              <tr>
                <th>lock owner</th>
                <th>key</th>
                <th>mode</th>
                <th>txId</th>
              </tr>
            </thead>
            <tbody>
              {locks.map(({ node, l }) => (
                <tr key={`${node}|${l.key}|${l.txId}`}>
                  <td>{node}</td>
                  <td>{l.key}</td>
                  <td>{l.mode === 'X' ? 'exclusive' : 'shared'}</td>
                  <td>
                    <code>{l.txId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <TxRecordsTable lists={lists} />
      </section>
    </div>
  )
}
