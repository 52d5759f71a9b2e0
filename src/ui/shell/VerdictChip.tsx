/** The header's always-visible verdict: operations checked and anomalies found; opens the Verdict tab. */
import { useStore } from '../store/store'

export function VerdictChip() {
  const ops = useStore((s) => s.verdict?.ops ?? null)
  const anomalies = useStore((s) => s.verdict?.anomalies ?? 0)
  const headline = useStore((s) => s.verdict?.headline ?? '')
  const setTab = useStore((s) => s.setTab)
  if (ops === null) return null
  const bad = anomalies > 0
  return (
    <button
      type="button"
      className={`badge verdict-chip ${bad ? 'bad' : 'good'}`}
      data-testid="verdict-chip"
      data-anomalies={anomalies}
      title={`Live checker: ${headline}. Click for the Verdict tab.`}
      onClick={() => setTab('verdict')}
    >
      {bad ? `⚠ ${anomalies} ${anomalies === 1 ? 'anomaly' : 'anomalies'}` : '✓ no anomalies'} · {ops} ops
    </button>
  )
}
