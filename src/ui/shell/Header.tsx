/** Title, runtime selector, time controls, setup, heal and theme. */
import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { NUM_NODES_MAX } from '../../cluster/options'
import type { ClusterOptions, ResolvedClusterOptions, RuntimeKind } from '../../cluster/types'
import { addNode, HEAL_ALL_TEXT, healAll } from '../actions'
import { replaceCluster } from '../playground'
import { useStore } from '../store/store'
import { TimeControls } from './TimeControls'
import { VerdictChip } from './VerdictChip'

const MODE_TITLES: Record<ResolvedClusterOptions['consistencyMode'], string> = {
  lww: 'last write wins: of two concurrent writes, the older Lamport version is lost',
  vector: 'version vectors: concurrent writes become siblings; a write with the read context resolves them',
  crdt: 'CRDTs for the keys in crdtConfig (other keys are LWW)',
}

export function Header() {
  const { runtime, options, theme, phase, count } = useStore(
    useShallow((s) => ({
      runtime: s.cluster?.runtime,
      options: s.options,
      theme: s.theme,
      phase: s.phase,
      count: s.members.length,
    })),
  )
  const [adding, setAdding] = useState(false)
  const setTheme = useStore((s) => s.setTheme)
  const setSetupOpen = useStore((s) => s.setSetupOpen)
  const switchRuntime = (r: RuntimeKind) => {
    const base: ClusterOptions = options
      ? { ...options, numNodes: count || options.numNodes }
      : { numNodes: 5, replicationFactor: 3 }
    // A runtime switch starts a new, empty cluster (the old one's stored data is deleted).
    void replaceCluster({ ...base, runtime: r }, { fresh: true }).catch(() => {})
  }
  const phaseText =
    phase === 'ready' && options
      ? `${count} nodes · N=${options.replicationFactor} W=${options.writeQuorum} R=${options.readQuorum}${options.sloppyQuorum ? ' · sloppy' : ''}`
      : phase
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◈
        </span>
        <h1>DistDB Playground</h1>
        <span className={`phase phase-${phase}`} data-testid="phase" title={phaseText}>
          {phaseText}
        </span>
        {phase === 'ready' && options && (
          <span
            className={`badge badge-mode badge-mode-${options.consistencyMode}`}
            data-testid="mode-badge"
            title={MODE_TITLES[options.consistencyMode]}
          >
            {options.consistencyMode}
          </span>
        )}
        {phase === 'ready' && <VerdictChip />}
        {phase === 'ready' && runtime === 'worker' && options && !options.persist && (
          <span
            className="badge badge-memory"
            data-testid="memory-mode"
            title="persist: false: the nodes keep their data in memory only and lose it on reload"
          >
            in memory
          </span>
        )}
      </div>
      <div className="header-controls">
        <label className="inline-field">
          <span className="runtime-label">Runtime</span>
          <select
            aria-label="Runtime"
            title="Runtime: where the nodes run (Web Workers with IndexedDB, or the deterministic simulator)"
            value={runtime ?? 'worker'}
            onChange={(e) => switchRuntime(e.target.value as RuntimeKind)}
            data-testid="runtime-select"
          >
            <option value="worker">Web Workers</option>
            <option value="sim">Simulator</option>
          </select>
        </label>
        <TimeControls />
        <button
          type="button"
          className="btn"
          disabled={phase !== 'ready' || adding || count >= NUM_NODES_MAX}
          onClick={() => {
            setAdding(true)
            void addNode().finally(() => setAdding(false))
          }}
          title="Add a node: it gets the next index and fresh tokens on the ring"
          data-testid="add-node"
        >
          {adding ? 'Adding…' : '+ Add node'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void healAll()}
          title={HEAL_ALL_TEXT}
          data-testid="heal-all"
        >
          Heal all
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => setSetupOpen(true)}
          data-testid="open-setup"
        >
          Cluster setup
        </button>
        <button
          type="button"
          className="btn icon"
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          title="Toggle theme"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </div>
    </header>
  )
}
