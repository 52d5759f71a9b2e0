/** Link faults for a clicked edge: latency, jitter, loss, duplication or a cut, per direction. */
import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { setLinkRule } from '../actions'
import { useStore } from '../store/store'
import { draftToRule, LINK_FIELDS, type LinkDraft, type LinkDraftField, toDraft } from './linkDraft'

export function EdgePanel() {
  const { edge, links } = useStore(useShallow((s) => ({ edge: s.selectedEdge, links: s.links })))
  const pair = edge?.startsWith('link:') ? edge.slice(5).split('~') : null
  const [flip, setFlip] = useState(false)
  const from = pair ? pair[flip ? 1 : 0] : ''
  const to = pair ? pair[flip ? 0 : 1] : ''
  const [d, setD] = useState<LinkDraft>(toDraft(undefined))
  useEffect(() => setD(toDraft(links[`${from}>${to}`])), [from, to, links])
  const first = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (edge) first.current?.focus()
  }, [edge])
  if (!pair) return null
  /** Closes the panel and gives focus back to the link it belongs to. */
  const close = () => {
    useStore.getState().selectEdge(null)
    document.querySelector<SVGElement>(`.react-flow__edge[data-id="${CSS.escape(edge ?? '')}"]`)?.focus()
  }
  const checked = draftToRule(d)
  const num = (k: LinkDraftField, label: string, max: number) => {
    const error = checked.errors?.[k]
    const errId = `edge-${k}-err`
    return (
      <label key={k} className={error ? 'invalid' : undefined}>
        {label}
        <input
          type="number"
          min={0}
          max={max}
          value={d[k]}
          aria-invalid={!!error}
          aria-describedby={error ? errId : undefined}
          data-testid={`edge-${k}`}
          onChange={(e) => setD({ ...d, [k]: e.target.value })}
        />
        {error && (
          <span className="field-error" id={errId} data-testid={`edge-${k}-error`}>
            {error}
          </span>
        )}
      </label>
    )
  }
  return (
    <div
      className="floating-panel edge-panel"
      role="dialog"
      aria-label={`Link ${from} to ${to}`}
      data-testid="edge-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          close()
        }
      }}
    >
      <div className="panel-head">
        <strong>
          Link {from} → {to}
        </strong>
        <button
          type="button"
          className="btn small"
          onClick={() => setFlip(!flip)}
          aria-label="Swap direction"
        >
          ⇄
        </button>
        <button type="button" className="icon-btn" aria-label="Close link panel" onClick={close}>
          ×
        </button>
      </div>
      <form
        className="edge-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!checked.errors) void setLinkRule(from, to, checked.rule)
        }}
      >
        <label className="check">
          <input
            ref={first}
            type="checkbox"
            data-testid="edge-cut"
            checked={d.cut}
            onChange={(e) => setD({ ...d, cut: e.target.checked })}
          />{' '}
          Cut this direction
        </label>
        {LINK_FIELDS.map((f) => num(f.k, f.label, f.max))}
        <div className="row">
          <button
            type="submit"
            className="btn primary"
            disabled={!!checked.errors}
            title={
              checked.errors ? 'Fix the fields marked in red first: nothing is applied until then' : undefined
            }
            data-testid="edge-apply"
          >
            Apply
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setD(toDraft(undefined))
              void setLinkRule(from, to, null)
            }}
          >
            Clear
          </button>
        </div>
      </form>
    </div>
  )
}
