/** Per-node actions (opened by right click or the ⋮ button): kill, restart, pause, resume, clock skew. */
import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { nodeAction, removeNode, setSkew } from '../actions'
import { displayStatus } from '../model/health'
import { useStore } from '../store/store'

export function NodeMenu() {
  const { id, status, skew, count } = useStore(
    useShallow((s) => ({
      count: s.members.length,
      id: s.menuNode,
      status: s.menuNode ? displayStatus(s.menuNode, s.snapshots) : 'down',
      skew: s.menuNode ? (s.snapshots[s.menuNode]?.clockSkewMs ?? 0) : 0,
    })),
  )
  const close = () => useStore.getState().openMenu(null)
  const [skewText, setSkewText] = useState('0')
  const first = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (id) {
      setSkewText(String(skew))
      first.current?.focus()
    }
  }, [id, skew])
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
      className="floating-panel node-menu"
      role="menu"
      aria-label={`Actions for ${id}`}
      data-testid="node-menu"
      onKeyDown={(e) => e.key === 'Escape' && close()}
    >
      <div className="panel-head">
        <strong>{id}</strong> <span className={`badge badge-${status}`}>{status}</span>
        <button type="button" className="icon-btn" aria-label="Close menu" onClick={close}>
          ×
        </button>
      </div>
      <div className="menu-buttons">
        <button
          ref={first}
          type="button"
          role="menuitem"
          className="btn danger"
          disabled={down}
          onClick={run('kill')}
        >
          Kill
        </button>
        <button type="button" role="menuitem" className="btn" disabled={!down} onClick={run('restart')}>
          Restart
        </button>
        <button
          type="button"
          role="menuitem"
          className="btn"
          disabled={down || paused}
          onClick={run('pause')}
        >
          Pause
        </button>
        <button type="button" role="menuitem" className="btn" disabled={!paused} onClick={run('resume')}>
          Resume
        </button>
        <button
          type="button"
          role="menuitem"
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
          role="menuitem"
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
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          const ms = Number(skewText)
          if (Number.isFinite(ms)) void setSkew(id, ms)
        }}
      >
        <label>
          Clock skew (ms)
          <input
            type="number"
            value={skewText}
            onChange={(e) => setSkewText(e.target.value)}
            aria-label="Clock skew in ms"
          />
        </label>
        <button type="submit" className="btn">
          Set skew
        </button>
      </form>
    </div>
  )
}
