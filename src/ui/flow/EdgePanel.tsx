/** Link faults for a clicked edge: latency, jitter, loss, duplication or a cut, per direction. */
import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { LinkRule } from '../../core/faults/linkRules'
import { setLinkRule } from '../actions'
import { useStore } from '../store/store'

interface Draft {
  cut: boolean
  latencyMs: string
  jitterMs: string
  lossPct: string
  dupPct: string
}

function toDraft(r: LinkRule | undefined): Draft {
  return {
    cut: !!r?.cut,
    latencyMs: String(r?.latencyMs ?? 0),
    jitterMs: String(r?.jitterMs ?? 0),
    lossPct: String(Math.round((r?.lossRate ?? 0) * 100)),
    dupPct: String(Math.round((r?.duplicateRate ?? 0) * 100)),
  }
}

/** Draft → rule (null when the link is clean). */
export function draftToRule(d: Draft): LinkRule | null {
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(x) ? x : 0))
  const rule: LinkRule = {}
  if (d.cut) rule.cut = true
  const lat = clamp(Number(d.latencyMs), 0, 60_000)
  const jit = clamp(Number(d.jitterMs), 0, 60_000)
  const loss = clamp(Number(d.lossPct), 0, 100) / 100
  const dup = clamp(Number(d.dupPct), 0, 100) / 100
  if (lat) rule.latencyMs = lat
  if (jit) rule.jitterMs = jit
  if (loss) rule.lossRate = loss
  if (dup) rule.duplicateRate = dup
  return Object.keys(rule).length ? rule : null
}

export function EdgePanel() {
  const { edge, links } = useStore(useShallow((s) => ({ edge: s.selectedEdge, links: s.links })))
  const pair = edge?.startsWith('link:') ? edge.slice(5).split('~') : null
  const [flip, setFlip] = useState(false)
  const from = pair ? pair[flip ? 1 : 0] : ''
  const to = pair ? pair[flip ? 0 : 1] : ''
  const [d, setD] = useState<Draft>(toDraft(undefined))
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
  const num = (k: Exclude<keyof Draft, 'cut'>, label: string) => (
    <label>
      {label}
      <input type="number" min={0} value={d[k]} onChange={(e) => setD({ ...d, [k]: e.target.value })} />
    </label>
  )
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
          void setLinkRule(from, to, draftToRule(d))
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
        {num('latencyMs', 'Latency ms')}
        {num('jitterMs', 'Jitter ms')}
        {num('lossPct', 'Loss %')}
        {num('dupPct', 'Duplicate %')}
        <div className="row">
          <button type="submit" className="btn primary">
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
