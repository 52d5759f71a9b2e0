/**
 * A 'vector' read's siblings in the client console: each value with its vector and the node that
 * wrote it, and "Resolve": write the chosen (or edited) value with the read's context, so the
 * siblings the read saw collapse into one. A CRDT read shows its merged value and state.
 */
import { useState } from 'react'
import type { ReadResult } from '../../cluster/types'
import { NodeChip } from './NodeChip'

const vectorText = (v: Record<string, number> | undefined) =>
  `{${Object.entries(v ?? {})
    .map(([n, c]) => `${n.replace('node_', 'n')}:${c}`)
    .join(', ')}}`

export function SiblingsView({
  r,
  onResolve,
}: {
  r: ReadResult
  onResolve: (value: string, context: string) => void
}) {
  const [draft, setDraft] = useState(r.siblings.find((s) => s.value !== null)?.value ?? '')
  if (r.crdt)
    return (
      <div data-testid="console-crdt">
        <span className="meta">{r.crdt.type}</span> <code>{JSON.stringify(r.crdt.value)}</code>{' '}
        <span className="meta">state {JSON.stringify(r.crdt.state)}</span>
      </div>
    )
  if (r.context === undefined || r.siblings.length < 2) return null
  const context = r.context
  return (
    <div data-testid="console-siblings">
      <div className="meta">{r.siblings.length} siblings (concurrent writes kept):</div>
      <ul className="siblings">
        {r.siblings.map((s) => (
          <li key={vectorText(s.vector)} data-testid="console-sibling">
            <code>{s.value === null ? '(deleted)' : s.value}</code>
            <span className="meta">{vectorText(s.vector)}</span>
            {s.node && <NodeChip id={s.node} note="wrote it" />}
            {s.value !== null && (
              <button type="button" className="btn" onClick={() => setDraft(s.value ?? '')}>
                Pick
              </button>
            )}
          </li>
        ))}
      </ul>
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
    </div>
  )
}
