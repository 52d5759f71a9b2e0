/**
 * Per-node actions (opened by right click, the ⋮ button, or Enter on a focused node), placed next to
 * the node: move to a zone (the keyboard's way to partition), kill, restart, pause, resume, clock skew,
 * disk faults.
 * Escape or any action closes it and returns focus to the node's ⋮ button.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { moveToZone, nodeAction, removeNode, setSkew } from '../actions'
import { displayStatus } from '../model/health'
import { useStore } from '../store/store'
import { checkWhole } from '../workload/fieldRules'
import { DiskFaultsForm } from './DiskFaultsForm'
import { ZONE_IDS } from './layout'
import { menuPosition } from './menuPosition'

/** The menu's skew field takes up to a day either way (the cluster takes any finite number). */
const SKEW_MS_MAX = 86_400_000

/** Focuses the ⋮ button of a node's card (where the menu came from). */
export function focusMenuButton(id: string): void {
  const btn = document.querySelector<HTMLButtonElement>(`[data-testid="db-node-${id}"] .node-menu-btn`)
  btn?.focus()
}

export function NodeMenu() {
  const { id, status, skew, count, zone } = useStore(
    useShallow((s) => ({
      count: s.members.length,
      id: s.menuNode,
      status: s.menuNode ? displayStatus(s.menuNode, s.snapshots) : 'down',
      skew: s.menuNode ? (s.snapshots[s.menuNode]?.clockSkewMs ?? 0) : 0,
      zone: s.menuNode ? (s.zoneOf[s.menuNode] ?? 'A') : 'A',
    })),
  )
  const close = () => {
    useStore.getState().openMenu(null)
    if (id) focusMenuButton(id)
  }
  const [skewText, setSkewText] = useState('0')
  const skewCheck = checkWhole(skewText, 'Clock skew', -SKEW_MS_MAX, SKEW_MS_MAX)
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null)
  const first = useRef<HTMLButtonElement>(null)
  const self = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (id) setSkewText(String(skew))
  }, [id, skew])
  const placed = pos !== null
  // Focus once placed: a menu still hidden while it is measured cannot take focus.
  useEffect(() => {
    if (id && placed) first.current?.focus()
  }, [id, placed])
  useLayoutEffect(() => {
    const menu = self.current
    const card = id ? document.querySelector(`[data-testid="db-node-${id}"]`) : null
    const wrap = menu?.offsetParent
    if (!menu || !card || !wrap) return setPos(null)
    const place = (): void => {
      const w = wrap.getBoundingClientRect()
      const c = card.getBoundingClientRect()
      setPos(
        menuPosition(
          { x: c.left - w.left, y: c.top - w.top, w: c.width, h: c.height },
          { w: menu.offsetWidth, h: menu.offsetHeight },
          { w: w.width, h: w.height },
        ),
      )
    }
    place()
    // Placed again when it grows (the disk-faults section opening), so it stays inside the canvas.
    if (typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(place)
    ro.observe(menu)
    return () => ro.disconnect()
  }, [id])
  if (!id) return null
  // A failed node has no worker either: it can be restarted (its open retried), not killed or paused.
  const down = status === 'down' || status === 'failed'
  const paused = status === 'paused'
  const run = (a: 'kill' | 'restart' | 'pause' | 'resume') => () => {
    void nodeAction(id, a)
    close()
  }
  return (
    <div
      ref={self}
      className="floating-panel node-menu"
      role="dialog"
      aria-label={`Actions for ${id}`}
      data-testid="node-menu"
      style={pos ? { left: pos.left, top: pos.top } : { visibility: 'hidden' }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          close()
        }
      }}
    >
      <div className="panel-head">
        <strong>{id}</strong> <span className={`badge badge-${status}`}>{status}</span>
        <span className="muted">zone {zone}</span>
        <button type="button" className="icon-btn" aria-label="Close menu" onClick={close}>
          ×
        </button>
      </div>
      <div className="menu-buttons">
        <button ref={first} type="button" className="btn danger" disabled={down} onClick={run('kill')}>
          Kill
        </button>
        <button type="button" className="btn" disabled={!down} onClick={run('restart')}>
          Restart
        </button>
        <button type="button" className="btn" disabled={down || paused} onClick={run('pause')}>
          Pause
        </button>
        <button type="button" className="btn" disabled={!paused} onClick={run('resume')}>
          Resume
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            useStore.getState().setInspectNode(id)
            useStore.getState().setTab('storage')
            close()
          }}
        >
          Inspect storage
        </button>
        <button
          type="button"
          className="btn danger"
          disabled={count <= 1}
          title="Take the node out of the ring and the cluster; its ranges move to the next nodes"
          data-testid="remove-node"
          onClick={() => {
            void removeNode(id)
            close()
          }}
        >
          Remove node
        </button>
      </div>
      <fieldset className="zone-moves">
        <legend>Move to zone</legend>
        {ZONE_IDS.map((z) => (
          <button
            key={z}
            type="button"
            className="btn"
            disabled={z === zone}
            aria-label={`Move to zone ${z}`}
            title={
              z === zone ? `${id} is in zone ${z}` : `Partition: ${id} reaches only the nodes in zone ${z}`
            }
            data-testid={`move-zone-${z}`}
            onClick={() => {
              void moveToZone(id, z)
              close()
            }}
          >
            {z}
          </button>
        ))}
      </fieldset>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (skewCheck.value !== null) void setSkew(id, skewCheck.value)
        }}
      >
        <label className={skewCheck.error ? 'invalid' : undefined}>
          Clock skew (ms)
          <input
            type="number"
            value={skewText}
            onChange={(e) => setSkewText(e.target.value)}
            aria-label="Clock skew in ms"
            aria-invalid={!!skewCheck.error}
            aria-describedby={skewCheck.error ? `skew-err-${id}` : undefined}
            data-testid="skew-input"
          />
        </label>
        <button type="submit" className="btn" disabled={skewCheck.value === null} data-testid="skew-set">
          Set skew
        </button>
        {skewCheck.error && (
          <span className="field-error" id={`skew-err-${id}`} data-testid="skew-error">
            {skewCheck.error}
          </span>
        )}
      </form>
      {!down && <DiskFaultsForm id={id} />}
    </div>
  )
}
