/**
 * The A/B compare: pick a preset (two configurations, one seed, one workload, one inline fault
 * schedule), run both in a Web Worker's simulator on virtual time (the page's frames are not
 * touched; progress is shown), and see them side by side: each
 * side's checker verdict, its first anomalies with causes, and its latency and availability charts.
 */
import { useState } from 'react'
import { type Anomaly, KIND_TEXT } from '../../core/checker/anomaly'
import { toErrorData } from '../../core/errors'
import { type AbProgress, type AbResult, faultText } from '../../sim/abCompare'
import { AB_PRESETS } from '../../sim/abPresets'
import { useStore } from '../store/store'
import { Chart, type Series } from '../workload/Chart'
import { runAbOffThread } from './abRunner'

const LATENCY: Series[] = [{ label: 'p50 latency (ms)', color: '#4f7cff' }]
const AVAILABILITY: Series[] = [{ label: 'ops that succeeded (%)', color: '#2f9e6d' }]
const SHOWN_GROUPS = 4
const X_LABEL = 'virtual seconds since the run started'

/** Anomalies grouped by kind and first cause ("13 × stale read: R + W ≤ N (1 + 1 ≤ 3)"), largest first. */
function groupByCause(list: readonly Anomaly[]): Array<{ text: string; count: number; example: string }> {
  const groups = new Map<string, { text: string; count: number; example: string }>()
  for (const a of list) {
    const text = `${KIND_TEXT[a.kind]}: ${a.causes[0]}`
    const g = groups.get(text)
    if (g) g.count++
    else groups.set(text, { text, count: 1, example: a.title })
  }
  return [...groups.values()].sort((x, y) => y.count - x.count).slice(0, SHOWN_GROUPS)
}

function Side({ r, theme }: { r: AbResult; theme: string }) {
  const v = r.verdict
  const lat = [r.tSec, r.p50Ms] as unknown as number[][]
  const avail = [
    r.tSec,
    r.availability.map((x) => (x === null ? null : Math.round(x * 100))),
  ] as unknown as number[][]
  return (
    <section className="ab-side" data-testid="ab-side" data-anomalies={v.anomalies}>
      <h4>{r.label}</h4>
      <p className={`verdict-headline${v.anomalies > 0 ? ' bad' : ' good'}`} data-testid="ab-verdict">
        {v.headline}
      </p>
      <p className="meta">
        {r.okOps} ok · {r.failedOps} failed (
        {Math.round((100 * r.okOps) / Math.max(1, r.okOps + r.failedOps))}% available)
      </p>
      <ul className="anomaly-causes" data-testid="ab-causes">
        {groupByCause(v.list).map((g) => (
          <li key={g.text} title={g.example}>
            {g.count} × {g.text}
          </li>
        ))}
      </ul>
      <div className="chart-title">Latency</div>
      <Chart series={LATENCY} data={lat} theme={theme} xLabel={X_LABEL} bands={r.bands} height={90} />
      <div className="chart-title">Availability</div>
      <Chart series={AVAILABILITY} data={avail} theme={theme} xLabel={X_LABEL} bands={r.bands} height={90} />
    </section>
  )
}

export function AbCompare() {
  const theme = useStore((s) => s.theme)
  const [preset, setPreset] = useState(0)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<[AbResult, AbResult] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [progress, setProgress] = useState<AbProgress | null>(null)
  const [where, setWhere] = useState<'worker' | 'page' | null>(null)
  const spec = AB_PRESETS[preset]
  const run = async () => {
    setBusy(true)
    setError(null)
    setResult(null)
    setProgress(null)
    try {
      const r = runAbOffThread(spec, setProgress)
      setWhere(r.where)
      setResult(await r.done)
    } catch (e) {
      const d = toErrorData(e)
      setError(`${d.code}: ${d.message}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="ab-compare" data-testid="ab-compare">
      <div className="form-row">
        <label className="grow">
          Preset
          <select
            value={preset}
            onChange={(e) => setPreset(Number(e.target.value))}
            data-testid="ab-preset"
            disabled={busy}
          >
            {AB_PRESETS.map((p, i) => (
              <option key={p.name} value={i}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          onClick={() => void run()}
          data-testid="ab-run"
        >
          {busy ? 'Running…' : 'Run A/B'}
        </button>
      </div>
      <p className="meta">
        {spec.a.label} vs {spec.b.label} · seed {spec.seed} · {spec.numNodes} nodes ·{' '}
        {spec.processes * spec.opsPerProcess} ops over {spec.keys} keys · faults:{' '}
        {spec.schedule.map((f) => `${faultText(f)} at ${f.atMs / 1000} s`).join(', ')} · then heal,
        anti-entropy and a final check
      </p>
      {busy && (
        <div className="ab-progress" data-testid="ab-progress" data-where={where ?? ''}>
          <progress
            max={2 * (progress?.opsTotal ?? 1)}
            value={progress ? progress.side * progress.opsTotal + progress.opsDone : 0}
          />{' '}
          <span className="meta">
            {progress
              ? `${progress.side === 0 ? 'A' : 'B'} (${progress.label}): ${progress.phase === 'workload' ? `${progress.opsDone} of ${progress.opsTotal} ops` : progress.phase}`
              : 'starting…'}
            {where === 'worker' ? ' · in a worker' : where === 'page' ? " · on the page's thread" : ''}
          </span>
        </div>
      )}
      {error && <p className="verdict-headline bad">{error}</p>}
      {result && (
        <div className="ab-sides" data-testid="ab-sides">
          <Side r={result[0]} theme={theme} />
          <Side r={result[1]} theme={theme} />
        </div>
      )}
    </div>
  )
}
