/**
 * Banners for nodes that could not start (status `failed`), each with its remedy: when IndexedDB
 * itself cannot be opened, running the cluster in memory (an explicit choice: data is lost on
 * reload); when one node's database fails to open, rebuilding that node only from its peers, after
 * the user confirms that its own database is deleted.
 */
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { isDiskOpenFailure } from '../../cluster/failures'
import { nodeAction, rebuildNode, runInMemory } from '../actions'
import { useStore } from '../store/store'

interface Failed {
  id: string
  code: string
  message: string
  diskOpen: boolean
}

function failedNodes(s: ReturnType<typeof useStore.getState>): Failed[] {
  const out: Failed[] = []
  for (const id of s.members) {
    const snap = s.snapshots[id]
    if (snap?.status !== 'failed' || !snap.failure) continue
    const f = snap.failure
    out.push({ id, code: f.code, message: f.message, diskOpen: isDiskOpenFailure(f) })
  }
  return out
}

export function NodeFailureBanners() {
  const failed = useStore(useShallow((s) => failedNodes(s).map((f) => JSON.stringify(f))))
  const nodes = failed.map((f) => JSON.parse(f) as Failed)
  const disk = nodes.filter((f) => f.diskOpen)
  const broken = nodes.filter((f) => !f.diskOpen)
  return (
    <>
      {disk.length > 0 && <DiskUnavailableBanner nodes={disk} />}
      {broken.map((f) => (
        <BrokenNodeBanner key={f.id} node={f} />
      ))}
    </>
  )
}

function DiskUnavailableBanner({ nodes }: { nodes: Failed[] }) {
  const [busy, setBusy] = useState(false)
  const ids = nodes.map((n) => n.id).join(', ')
  return (
    <div className="banner failure" role="alert" data-testid="storage-unavailable-banner">
      <span className="banner-text">
        <strong>IndexedDB cannot be opened</strong>, so {ids} {nodes.length === 1 ? 'does' : 'do'} not start:
        a node that cannot make a write durable does not acknowledge it. <code>{nodes[0].code}</code>{' '}
        {nodes[0].message}.
      </span>
      <span className="banner-actions">
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          data-testid="run-in-memory"
          onClick={() => {
            setBusy(true)
            void runInMemory().finally(() => setBusy(false))
          }}
        >
          Run in memory (data is lost on reload)
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => {
            for (const n of nodes) void nodeAction(n.id, 'restart')
          }}
        >
          Retry
        </button>
      </span>
    </div>
  )
}

function BrokenNodeBanner({ node }: { node: Failed }) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const { id } = node
  return (
    <div className="banner failure" role="alert" data-testid={`node-failed-banner-${id}`}>
      <span className="banner-text">
        <strong>{id} failed to start</strong>: <code>{node.code}</code> {node.message}. The other nodes keep
        serving.
        {asking && (
          <>
            {' '}
            <strong>
              Delete {id}'s database and restart it empty? Rows only {id} held are lost; anti-entropy, hints
              and pull sync refill it from its peers.
            </strong>
          </>
        )}
      </span>
      <span className="banner-actions">
        {!asking ? (
          <>
            <button
              type="button"
              className="btn primary"
              data-testid={`rebuild-${id}`}
              onClick={() => setAsking(true)}
            >
              Rebuild {id} from its peers
            </button>
            <button type="button" className="btn" onClick={() => void nodeAction(id, 'restart')}>
              Retry open
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="btn danger"
              disabled={busy}
              data-testid={`confirm-rebuild-${id}`}
              onClick={() => {
                setBusy(true)
                void rebuildNode(id).finally(() => {
                  setBusy(false)
                  setAsking(false)
                })
              }}
            >
              Delete and rebuild {id}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => setAsking(false)}>
              Cancel
            </button>
          </>
        )}
      </span>
    </div>
  )
}
