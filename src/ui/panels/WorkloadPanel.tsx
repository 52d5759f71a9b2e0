/** Workload generator: rate, mix, key distribution, value size, keys; live throughput/latency/errors/backlog. */

import { useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { CONSISTENCY_LEVELS, type ConsistencyLevel } from '../../core/quorum/consistency'
import { faultBands } from '../model/faultsInEffect'
import { resetCluster } from '../playground'
import { useStore } from '../store/store'
import { Chart, type Series } from '../workload/Chart'
import { checkWhole } from '../workload/fieldRules'
import { bulkLoad, startWorkload, stopWorkload } from '../workload/runner'
import { saturationNotice } from '../workload/saturation'

const THROUGHPUT: Series[] = [
  { label: 'ops/s', color: '#4f8cff' },
  { label: 'errors/s', color: '#e5484d' },
]
const LATENCY: Series[] = [
  { label: 'p50 latency', color: '#3cc28a' },
  { label: 'p99 latency', color: '#f0a13c' },
]
const BACKLOG: Series[] = [{ label: 'backlog', color: '#9b6cf0' }]

export function WorkloadPanel() {
  const { cfg, running, samples, lastErrors, theme, progress, windows, origin } = useStore(
    useShallow((s) => ({
      cfg: s.workloadConfig,
      running: s.workloadRunning,
      samples: s.samples,
      lastErrors: s.lastErrors,
      theme: s.theme,
      progress: s.progress,
      windows: s.faultWindows,
      origin: s.samplesOriginMs,
    })),
  )
  const setCfg = useStore((s) => s.setWorkloadConfig)
  const sim = useStore((s) => s.cluster?.time.kind === 'virtual')
  const [bulkN, setBulkN] = useState('1000')
  const bulk = checkWhole(bulkN, 'Keys to bulk load', 1, 100000)
  const data = useMemo(() => {
    const x = samples.map((s) => s.tSec)
    return {
      tp: [x, samples.map((s) => s.opsPerSec), samples.map((s) => s.errorsPerSec)],
      lat: [x, samples.map((s) => s.p50Ms), samples.map((s) => s.p99Ms)],
      backlog: [x, samples.map((s) => s.backlog)],
    }
  }, [samples])
  const hasSamples = samples.length > 0
  const bands = useMemo(() => (hasSamples ? faultBands(windows, origin) : []), [windows, origin, hasSamples])
  const xLabel = 'seconds since the workload started (page clock)'
  const last = samples.at(-1)
  const notice = saturationNotice(
    last,
    windows.some((w) => w.endMs === null),
  )
  const numField = (
    k: 'ratePerSec' | 'valueBytes' | 'keyCount' | 'concurrencyMax',
    label: string,
    min: number,
    max: number,
  ) => <NumField k={k} label={label} min={min} max={max} value={cfg[k]} onValid={(x) => setCfg({ [k]: x })} />
  const cluster = () => useStore.getState().cluster
  return (
    <div className="panel" data-testid="workload-panel">
      <h3>Workload generator</h3>
      <p className="field-hint" data-testid="wl-live-note">
        Changes apply at once, also while it runs.
        {sim
          ? ' In the simulator the rate is in virtual time: at 10× speed it issues 10× as many ops per second.'
          : ''}
      </p>
      <div className="form-row">
        {numField('ratePerSec', sim ? 'Rate (ops per virtual s)' : 'Rate (ops/s)', 1, 20000)}
        <NumField
          k="readPct"
          label="Reads %"
          min={0}
          max={100}
          value={Math.round(cfg.readFraction * 100)}
          onValid={(x) => setCfg({ readFraction: x / 100 })}
        />
        <label>
          Keys
          <select
            value={cfg.distribution}
            onChange={(e) => setCfg({ distribution: e.target.value as 'uniform' | 'zipfian' })}
          >
            <option value="zipfian">zipfian (hot keys)</option>
            <option value="uniform">uniform</option>
          </select>
        </label>
      </div>
      <div className="form-row">
        {numField('keyCount', 'Key count', 1, 100000)}
        {numField('valueBytes', 'Value bytes', 8, 65536)}
        {numField('concurrencyMax', 'Max in flight', 1, 1024)}
        <label>
          Level
          <select
            value={cfg.level}
            onChange={(e) => setCfg({ level: e.target.value as ConsistencyLevel | 'default' })}
          >
            <option value="default">default</option>
            {CONSISTENCY_LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label title="token-aware: each op is coordinated by one of its key's owners (no extra hop), as a token-aware driver sends it">
          Coordinator
          <select
            value={cfg.coordinator}
            onChange={(e) => setCfg({ coordinator: e.target.value as 'random' | 'token-aware' })}
            data-testid="wl-coordinator"
          >
            <option value="random">random</option>
            <option value="token-aware">token-aware</option>
          </select>
        </label>
      </div>
      <div className="form-row">
        {running ? (
          <button type="button" className="btn danger" onClick={stopWorkload} data-testid="wl-stop">
            ■ Stop
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              const c = cluster()
              if (c) startWorkload(c, cfg)
            }}
            data-testid="wl-start"
          >
            ▶ Start workload
          </button>
        )}
        <input
          type="number"
          value={bulkN}
          onChange={(e) => setBulkN(e.target.value)}
          aria-label="Keys to bulk load"
          aria-invalid={!!bulk.error}
          aria-describedby={bulk.error ? 'wl-bulk-err' : undefined}
          data-testid="wl-bulk"
          style={{ width: 80 }}
        />
        <button
          type="button"
          className="btn"
          disabled={!!progress || bulk.value === null}
          data-testid="wl-bulk-load"
          onClick={() => {
            const c = cluster()
            if (c && bulk.value !== null) void bulkLoad(c, bulk.value, cfg.valueBytes)
          }}
        >
          Bulk load
        </button>
        {bulk.error && (
          <span className="field-error" id="wl-bulk-err" role="alert" data-testid="wl-bulk-error">
            {bulk.error}; nothing loaded until it is
          </span>
        )}
        <button
          type="button"
          className="btn"
          disabled={!!progress}
          title="Delete every node's data and start a fresh cluster with the same options (asks first)"
          data-testid="wl-reset"
          onClick={() => {
            if (!window.confirm('Delete all data on every node and start a fresh cluster?')) return
            void resetCluster().catch(() => {})
          }}
        >
          Reset cluster
        </button>
      </div>
      <div className="stat-grid">
        <div className="stat">
          <span>throughput</span>
          <strong data-testid="wl-throughput">{last ? Math.round(last.opsPerSec) : 0}</strong>
        </div>
        <div className="stat">
          <span>p99 latency</span>
          <strong>{last ? last.p99Ms.toFixed(1) : 0} ms</strong>
        </div>
        <div className="stat">
          <span>repl. backlog</span>
          <strong>{last?.backlog ?? 0}</strong>
        </div>
      </div>
      {notice && (
        <p className="saturation-notice" role="status" data-testid="saturation-notice">
          {notice}
        </p>
      )}
      <div className="chart-title">Throughput (ops/s)</div>
      <Chart
        series={THROUGHPUT}
        data={data.tp}
        theme={theme}
        testId="chart-throughput"
        xLabel={xLabel}
        bands={bands}
      />
      <div className="chart-title">Latency (ms)</div>
      <Chart
        series={LATENCY}
        data={data.lat}
        theme={theme}
        testId="chart-latency"
        xLabel={xLabel}
        bands={bands}
      />
      <div className="chart-title">Replication backlog (unacknowledged ops, all nodes)</div>
      <Chart
        series={BACKLOG}
        data={data.backlog}
        theme={theme}
        testId="chart-backlog"
        xLabel={xLabel}
        bands={bands}
      />
      {lastErrors.length > 0 && (
        <>
          <h3>Recent errors</h3>
          {lastErrors.map((e) => (
            <p key={e} className="field-error">
              {e}
            </p>
          ))}
        </>
      )}
    </div>
  )
}

/** A number field that keeps what was typed and says why it is not used, instead of clamping it. */
function NumField(props: {
  k: string
  label: string
  min: number
  max: number
  value: number
  onValid(x: number): void
}) {
  const [text, setText] = useState(String(props.value))
  const check = checkWhole(text, props.label, props.min, props.max)
  const errId = `wl-${props.k}-err`
  return (
    <label className={check.error ? 'invalid' : undefined}>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        value={text}
        aria-invalid={!!check.error}
        aria-describedby={check.error ? errId : undefined}
        data-testid={`wl-${props.k}`}
        onChange={(e) => {
          setText(e.target.value)
          const c = checkWhole(e.target.value, props.label, props.min, props.max)
          if (c.value !== null) props.onValid(c.value)
        }}
      />
      {check.error && (
        <span className="field-error" id={errId} role="alert" data-testid={`wl-${props.k}-error`}>
          {check.error}; still using {props.value}
        </span>
      )}
    </label>
  )
}
