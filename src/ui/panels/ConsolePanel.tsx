/**
 * Client console: put/get/delete (and applyCrdt in a 'crdt' cluster) with a consistency level; shows
 * replicas, versions, latency and coded errors. A merging key's result shows its siblings and context
 * or its CRDT state instead of a Lamport version (SiblingsView).
 */
import { useState } from 'react'
import type { ReadResult, WriteResult } from '../../cluster/types'
import type { CrdtOp } from '../../core/conflict/types'
import { dbError } from '../../core/errors'
import { CONSISTENCY_LEVELS, type ConsistencyLevel } from '../../core/quorum/consistency'
import { useStore } from '../store/store'
import { asSource } from '../verdict/liveVerdict'
import { mergesKey } from './conflictText'
import { NodeChip } from './NodeChip'
import { type OpError, opError } from './opErrors'
import { SiblingsView } from './SiblingsView'
import { pageStatusOf, useMembers } from './useLiveNodes'

type Op = 'put' | 'get' | 'delete' | 'crdt'

interface Entry {
  id: number
  op: Op
  node: string
  key: string
  value?: string
  level: string
  write?: WriteResult
  read?: ReadResult
  error?: OpError
  /** A put made by "Resolve" (it carried the read's context). */
  resolved?: boolean
  /** The key's rows merge (vector siblings, a CRDT): no Lamport version line. */
  merging?: boolean
}

/** Parses the console's CRDT op text (`{"inc":1}`); BAD_INPUT when it is not JSON (the node checks the rest). */
function parseCrdtOp(text: string): CrdtOp {
  try {
    return JSON.parse(text) as CrdtOp
  } catch {
    throw dbError('BAD_INPUT', `a CRDT op is JSON like {"inc": 1}, got ${text.slice(0, 40)}`)
  }
}

const ENTRIES_MAX = 30
let entrySeq = 0

export function ConsolePanel() {
  const members = useMembers()
  const [op, setOp] = useState<Op>('put')
  const [node, setNode] = useState('node_0')
  const [key, setKey] = useState('user:42')
  const [value, setValue] = useState('hello')
  const [crdtOp, setCrdtOp] = useState('{"inc": 1}')
  const isCrdt = useStore((s) => s.options?.consistencyMode === 'crdt')
  const level = useStore((s) => s.opLevel)
  const setLevel = useStore((s) => s.setOpLevel)
  const [entries, setEntries] = useState<Entry[]>([])
  const [busy, setBusy] = useState(false)

  const run = async (resolve?: { value: string; context: string; key: string; node: string }) => {
    const c = useStore.getState().cluster
    if (!c || !key) return
    setBusy(true)
    const opts = level === 'default' ? {} : { level }
    const base: Entry = resolve
      ? {
          id: ++entrySeq,
          op: 'put',
          node: resolve.node,
          key: resolve.key,
          value: resolve.value,
          level,
          resolved: true,
        }
      : {
          id: ++entrySeq,
          op,
          node,
          key,
          value: op === 'put' ? value : op === 'crdt' ? crdtOp : undefined,
          level,
        }
    base.merging = mergesKey(useStore.getState().options, base.key)
    let entry: Entry
    // Recorded by the live checker as the console's (the call itself starts synchronously).
    const call = <T,>(fn: () => Promise<T>): Promise<T> => asSource('console', fn)
    try {
      if (resolve)
        entry = {
          ...base,
          write: await call(() =>
            c.put(resolve.node, resolve.key, resolve.value, { ...opts, context: resolve.context }),
          ),
        }
      else if (op === 'put') entry = { ...base, write: await call(() => c.put(node, key, value, opts)) }
      else if (op === 'delete') entry = { ...base, write: await call(() => c.delete(node, key, opts)) }
      else if (op === 'crdt')
        entry = { ...base, write: await call(() => c.applyCrdt(node, key, parseCrdtOp(crdtOp), opts)) }
      else entry = { ...base, read: await call(() => c.read(node, key, opts)) }
    } catch (e) {
      entry = { ...base, error: opError(e, pageStatusOf) }
    }
    setEntries((old) => [entry, ...old].slice(0, ENTRIES_MAX))
    setBusy(false)
  }

  return (
    <div className="panel" data-testid="console-panel">
      <h3>Client console</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void run()
        }}
      >
        <div className="form-row">
          <label>
            Operation
            <select value={op} onChange={(e) => setOp(e.target.value as Op)} data-testid="console-op">
              <option value="put">put</option>
              <option value="get">get</option>
              <option value="delete">delete</option>
              {isCrdt && <option value="crdt">applyCrdt</option>}
            </select>
          </label>
          <label>
            Coordinator
            <select value={node} onChange={(e) => setNode(e.target.value)} data-testid="console-node">
              {members.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <label>
            Level
            <select
              value={level}
              onChange={(e) => setLevel(e.target.value as ConsistencyLevel | 'default')}
              data-testid="console-level"
            >
              <option value="default">cluster default</option>
              {CONSISTENCY_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-row">
          <label className="grow">
            Key
            <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="console-key" />
          </label>
          {op === 'put' && (
            <label className="grow">
              Value
              <input value={value} onChange={(e) => setValue(e.target.value)} data-testid="console-value" />
            </label>
          )}
          {op === 'crdt' && (
            <label className="grow">
              CRDT op
              <input
                value={crdtOp}
                onChange={(e) => setCrdtOp(e.target.value)}
                placeholder='{"inc": 1}, {"add": "x"}, {"set": "v"}'
                data-testid="console-crdt-op"
              />
            </label>
          )}
          <button type="submit" className="btn primary" disabled={busy || !key} data-testid="console-run">
            {busy ? '…' : 'Run'}
          </button>
        </div>
      </form>
      <h3>Results</h3>
      {entries.length === 0 && <p className="muted">Run an operation to see which replicas answered.</p>}
      <div data-testid="console-results">
        {entries.map((e) => (
          <ResultView
            key={e.id}
            e={e}
            onResolve={(v, context) => void run({ value: v, context, key: e.key, node: e.node })}
          />
        ))}
      </div>
    </div>
  )
}

function ResultView({ e, onResolve }: { e: Entry; onResolve: (value: string, context: string) => void }) {
  const head = (
    <div>
      <strong>{e.resolved ? 'resolve' : e.op}</strong> <code>{e.key}</code>
      {e.value !== undefined && (
        <>
          {' '}
          = <code>{e.value}</code>
        </>
      )}{' '}
      <span className="meta">
        via {e.node} @ {e.level}
      </span>
    </div>
  )
  if (e.error)
    return (
      <div className="result err" data-testid="console-result" data-ok="false">
        {head}
        <div>
          <code className="code">{e.error.code}</code> <span title={e.error.raw}>{e.error.message}</span>
        </div>
        {e.error.answered.length > 0 && (
          <div className="meta">
            answered:{' '}
            {e.error.answered.map((n) => (
              <NodeChip key={n} id={n} />
            ))}
          </div>
        )}
      </div>
    )
  if (e.write)
    return (
      <div className="result" data-testid="console-result" data-ok="true">
        {head}
        <div className="meta" data-testid="console-write-meta">
          {e.merging
            ? `coordinated by ${e.write.version.node} (merged into the key's state)`
            : `version ts=${e.write.version.ts} by ${e.write.version.node}`}{' '}
          · {e.write.latencyMs.toFixed(1)} ms
        </div>
        <div>
          acks:{' '}
          {e.write.acks.map((a) => (
            <NodeChip
              key={a.node}
              id={a.node}
              standin={!!a.hintedFor}
              note={a.hintedFor ? `for ${a.hintedFor}` : undefined}
            />
          ))}
        </div>
      </div>
    )
  const r = e.read!
  return (
    <div className="result" data-testid="console-result" data-ok="true">
      {head}
      <div>
        value: <code>{r.value === null ? 'null' : r.value}</code>
        {r.siblings.length > 1 && <span className="meta"> ({r.siblings.length} siblings)</span>}
      </div>
      <SiblingsView r={r} onResolve={onResolve} />
      <div className="meta" data-testid="console-read-meta">
        {e.merging ? '' : r.version ? `version ts=${r.version.ts} by ${r.version.node} · ` : 'no version · '}
        {r.latencyMs.toFixed(1)} ms
        {r.repaired.length > 0 && ` · repaired ${r.repaired.join(', ')}`}
      </div>
      <div>
        replies:{' '}
        {r.replies.map((x) => (
          <NodeChip
            key={x.node}
            id={x.node}
            note={
              !x.version
                ? '∅'
                : x.siblings !== undefined
                  ? `${x.siblings} sib`
                  : x.crdt
                    ? `= ${JSON.stringify(x.crdt.value)}`
                    : `ts=${x.version.ts}`
            }
          />
        ))}
      </div>
    </div>
  )
}
