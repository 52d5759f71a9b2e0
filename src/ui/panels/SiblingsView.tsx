/**
 * A 'vector' read in the client console: every sibling with its vector and the node that wrote it,
 * the read's causal context, and "Resolve": write the chosen (or edited) value with that context, so
 * the siblings the read saw collapse into one. A CRDT read shows its merged value and, for counters,
 * the per-node entries the value is the sum of.
 */
import { useState } from 'react'
import type { ReadResult } from '../../cluster/types'
import { contextVector, counterEntriesText, vectorText } from './conflictText'
import { NodeChip } from './NodeChip'

export function SiblingsView({
  r,
  onResolve,
}: {
  r: ReadResult
  onResolve: (value: string, context: string) => void
}) {
  const [draft, setDraft] = useState(r.siblings.find((s) => s.value !== null)?.value ?? '')
  if (r.crdt) {
    const entries = counterEntriesText(r.crdt.type, r.crdt.state)
    return (
      <div data-testid="console-crdt">
        <span className="meta">{r.crdt.type}</span> <code>{JSON.stringify(r.crdt.value)}</code>{' '}
        {entries !== null && (
          <span className="meta" data-testid="console-crdt-entries">
            = {entries}
          </span>
        )}
        <div className="meta">state {JSON.stringify(r.crdt.state)}</div>
        <ul className="siblings" aria-label="each replica's own state">
          {r.replies
            .filter((x) => x.crdt)
            .map((x) => (
              <li key={x.node} data-testid={`console-crdt-replica-${x.node}`}>
                <NodeChip id={x.node} note="held" />
                <code>{JSON.stringify(x.crdt?.value)}</code>
                <span className="meta">
                  {counterEntriesText(r.crdt?.type ?? '', x.crdt?.state) ?? JSON.stringify(x.crdt?.state)}
                </span>
              </li>
            ))}
        </ul>
      </div>
    )
  }
  if (r.context === undefined) return null
  const context = r.context
  const conflict = r.siblings.length > 1
  const contextVv = contextVector(context)
  return (
    <div data-testid={conflict ? 'console-siblings' : 'console-vector'}>
      <div className="meta">
        {conflict
          ? `${r.siblings.length} siblings (concurrent writes kept):`
          : r.siblings.length === 1
            ? '1 sibling:'
            : 'no siblings (never written)'}
      </div>
      <ul className="siblings">
        {r.siblings.map((s) => (
          <li key={vectorText(s.vector)} data-testid="console-sibling">
            <code>{s.value === null ? '(deleted)' : s.value}</code>
            <span className="meta">{vectorText(s.vector)}</span>
            {s.node && <NodeChip id={s.node} note="wrote it" />}
            {conflict && s.value !== null && (
              <button type="button" className="btn" onClick={() => setDraft(s.value ?? '')}>
                Pick
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="meta" data-testid="console-context" title={`context (opaque to clients): ${context}`}>
        context {contextVv ? vectorText(contextVv) : context}
        {conflict ? ' · a write with it replaces these siblings' : ' · a write without it adds a sibling'}
      </div>
      {conflict && (
        <div className="form-row">
          <input
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-label="Resolved value"
            data-testid="console-resolve-value"
          />
          <button
            type="button"
            className="btn primary"
            data-testid="console-resolve"
            onClick={() => onResolve(draft, context)}
          >
            Resolve
          </button>
        </div>
      )}
    </div>
  )
}
