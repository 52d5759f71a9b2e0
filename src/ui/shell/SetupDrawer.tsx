/** Cluster setup drawer: options with inline validation, topology, presets. */
import { useEffect, useMemo, useRef, useState } from 'react'
import { CONSISTENCY_LEVELS, type ConsistencyLevel } from '../../core/quorum/consistency'
import { applyTopology } from '../actions'
import { type TopologyKind, topologyFor } from '../model/topologyText'
import { replaceCluster, resetCluster } from '../playground'
import { useStore } from '../store/store'
import { openTour } from '../tours/engine'
import { PartitioningFields } from './PartitioningFields'
import { PRESETS, type Preset, presetValues } from './presets'
import { Field } from './SetupField'
import { buildOptions, DEFAULT_SETUP, type SetupValues } from './setupForm'

export function SetupDrawer() {
  const open = useStore((s) => s.setupOpen)
  const setOpen = useStore((s) => s.setSetupOpen)
  const runtime = useStore((s) => s.cluster?.runtime ?? 'worker')
  const liveCount = useStore((s) => s.members.length)
  const [topoNote, setTopoNote] = useState<string | null>(null)
  const [v, setV] = useState<SetupValues>(DEFAULT_SETUP)
  const [busy, setBusy] = useState(false)
  /** A new cluster or scenario deletes the old stored data unless the user keeps it. */
  const [keepData, setKeepData] = useState(false)
  const first = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (open) {
      setV((old) => ({ ...old, runtime }))
      setTimeout(() => first.current?.focus(), 0)
    }
  }, [open, runtime])
  const built = useMemo(() => buildOptions(v), [v])
  const error = built.error
  if (!open) return null
  const set = <K extends keyof SetupValues>(k: K, x: SetupValues[K]) => setV((old) => ({ ...old, [k]: x }))
  const apply = async (values: SetupValues, preset?: Preset) => {
    const b = buildOptions(values)
    if (!b.options) return
    setBusy(true)
    try {
      const c = await replaceCluster(b.options, { fresh: !keepData })
      setOpen(false)
      if (preset) {
        await preset.setup(c)
        // The preset's instructions continue as its tour's steps instead of vanishing.
        void openTour(preset.tourId, { restart: true, setUpAlready: true })
      }
    } catch {
      // shown in the error banner
    } finally {
      setBusy(false)
    }
  }
  const num = (k: keyof SetupValues, label: string, hint?: string, ref?: React.Ref<HTMLInputElement>) => (
    <Field label={label} field={k} error={error} hint={hint}>
      {(id, invalid) => (
        <input
          id={id}
          ref={ref}
          type="number"
          inputMode="numeric"
          value={v[k] as string}
          placeholder="default"
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-err` : undefined}
          data-testid={`setup-${k}`}
          onChange={(e) => set(k, e.target.value as never)}
        />
      )}
    </Field>
  )
  return (
    <div className="drawer-backdrop" onClick={() => setOpen(false)}>
      <aside
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-label="Cluster setup"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        data-testid="setup-drawer"
      >
        <div className="drawer-head">
          <h2>Cluster setup</h2>
          <button type="button" className="icon-btn" aria-label="Close setup" onClick={() => setOpen(false)}>
            ×
          </button>
        </div>
        <section className="presets">
          <h3>Scenarios</h3>
          <p className="muted">Each sets the stage, then opens its guided tour on the canvas.</p>
          {PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              className="preset"
              disabled={busy}
              data-testid={`preset-${p.id}`}
              onClick={() => {
                const values = presetValues(p, v.runtime)
                setV(values)
                void apply(values, p)
              }}
            >
              <strong>{p.title}</strong>
              <span>{p.blurb}</span>
            </button>
          ))}
        </section>
        <form
          className="setup-form"
          onSubmit={(e) => {
            e.preventDefault()
            void apply(v)
          }}
        >
          <h3>Options</h3>
          <div className="grid2">
            <Field label="Runtime" field="runtime" error={error}>
              {(id) => (
                <select
                  id={id}
                  value={v.runtime}
                  onChange={(e) => set('runtime', e.target.value as 'worker' | 'sim')}
                >
                  <option value="worker">Web Workers (one per node)</option>
                  <option value="sim">Simulator (virtual time)</option>
                </select>
              )}
            </Field>
            {num('numNodes', 'Nodes', '1–64', first)}
            {num('replicationFactor', 'Replication factor (N)', 'default: all nodes')}
            {num('writeQuorum', 'Write quorum (W)', 'default: majority of N')}
            {num('readQuorum', 'Read quorum (R)', 'default: majority of N')}
            <Field label="Consistency level" field="consistency" error={error} hint="overrides W/R">
              {(id) => (
                <select
                  id={id}
                  value={v.consistency}
                  onChange={(e) => set('consistency', e.target.value as ConsistencyLevel | '')}
                >
                  <option value="">(use W/R)</option>
                  {CONSISTENCY_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="Conflict mode"
              field="consistencyMode"
              error={error}
              hint="what concurrent writes become"
            >
              {(id) => (
                <select
                  id={id}
                  value={v.consistencyMode}
                  data-testid="setup-consistency-mode"
                  onChange={(e) => set('consistencyMode', e.target.value as SetupValues['consistencyMode'])}
                >
                  <option value="lww">LWW (last write wins)</option>
                  <option value="vector">vector (siblings)</option>
                  <option value="crdt">CRDTs (named keys)</option>
                </select>
              )}
            </Field>
            {v.consistencyMode === 'vector' && num('siblingsMax', 'Siblings per key at most', 'default 16')}
            {v.consistencyMode === 'crdt' && (
              <Field
                label="CRDT keys"
                field="crdtConfigText"
                error={error}
                hint="key:type, … (other keys are LWW)"
              >
                {(id) => (
                  <input
                    id={id}
                    value={v.crdtConfigText}
                    data-testid="setup-crdt-config"
                    onChange={(e) => set('crdtConfigText', e.target.value)}
                  />
                )}
              </Field>
            )}
            {num('antiEntropyIntervalMs', 'Anti-entropy interval (ms)', 'default 10000; 0 = off')}
            {num('seed', 'Seed')}
          </div>
          <PartitioningFields v={v} set={set} error={error} />
          <label className="check">
            <input
              type="checkbox"
              checked={v.sloppyQuorum}
              onChange={(e) => set('sloppyQuorum', e.target.checked)}
            />
            Sloppy quorum (stand-ins keep hints for down owners)
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={keepData}
              data-testid="setup-keep-data"
              onChange={(e) => setKeepData(e.target.checked)}
            />
            Keep stored data (off: a new cluster or scenario starts with empty nodes)
          </label>
          <fieldset className="topology">
            <legend>Replication topology</legend>
            {(['all-to-all', 'ring', 'star', 'custom'] as TopologyKind[]).map((k) => (
              <label key={k} className="radio">
                <input
                  type="radio"
                  name="topology"
                  value={k}
                  checked={v.topologyKind === k}
                  onChange={() => set('topologyKind', k)}
                />
                {k}
              </label>
            ))}
            <button
              type="button"
              className="btn small"
              disabled={busy || liveCount === 0}
              data-testid="apply-topology"
              title="Change the running cluster's replication topology without restarting it"
              onClick={() => {
                try {
                  const t = topologyFor(v.topologyKind, liveCount, v.topologyText)
                  void applyTopology(t).then((ok) =>
                    setTopoNote(ok ? `Applied to the running ${liveCount}-node cluster.` : null),
                  )
                } catch (e) {
                  setTopoNote((e as Error).message)
                }
              }}
            >
              Apply topology now
            </button>
            {topoNote && <span className="field-hint"> {topoNote}</span>}
            {v.topologyKind === 'custom' && (
              <Field label="Custom (from:to,to; …)" field="topologyText" error={error}>
                {(id, invalid) => (
                  <input
                    id={id}
                    value={v.topologyText}
                    aria-invalid={invalid}
                    data-testid="setup-topologyText"
                    onChange={(e) => set('topologyText', e.target.value)}
                  />
                )}
              </Field>
            )}
          </fieldset>
          {error?.field === 'form' && (
            <p className="field-error" role="alert">
              {error.message}
            </p>
          )}
          <div className="drawer-actions">
            <button
              type="submit"
              className="btn primary"
              disabled={!!error || busy}
              data-testid="setup-apply"
            >
              {busy ? 'Starting…' : 'Create cluster'}
            </button>
          </div>
        </form>
        <section className="danger-zone">
          <h3>Reset</h3>
          <p className="field-hint">
            Deletes every node's stored data (IndexedDB in the Web Workers runtime) and starts a fresh cluster
            with the same options.
          </p>
          <button
            type="button"
            className="btn danger"
            disabled={busy || liveCount === 0}
            data-testid="reset-cluster"
            onClick={async () => {
              if (!window.confirm('Delete all data on every node and start a fresh cluster?')) return
              setBusy(true)
              try {
                await resetCluster()
                setOpen(false)
              } catch {
                // shown in the error banner
              } finally {
                setBusy(false)
              }
            }}
          >
            {busy ? 'Working…' : 'Reset cluster'}
          </button>
        </section>
      </aside>
    </div>
  )
}
