/** The header's always-visible verdict: operations checked and anomalies found; opens the Verdict tab. */
import { useStore } from '../store/store'
import { feedText } from '../verdict/feedText'

export function VerdictChip() {
  const ops = useStore((s) => s.verdict?.ops ?? null)
  const anomalies = useStore((s) => s.verdict?.anomalies ?? 0)
  const headline = useStore((s) => s.verdict?.headline ?? '')
  const sampleEvery = useStore((s) => s.verdictFeed.sampleEvery)
  const dropped = useStore((s) => s.verdictFeed.dropped)
  const setTab = useStore((s) => s.setTab)
  if (ops === null) return null
  const bad = anomalies > 0
  const feed = feedText({ sampleEvery, dropped })
  // The header has one row at 1440 px: the chip says the least that is still true; its title says all.
  const short = feedText({ sampleEvery, dropped }, true)
  return (
    <button
      type="button"
      className={`badge verdict-chip ${bad ? 'bad' : 'good'}`}
      data-testid="verdict-chip"
      data-anomalies={anomalies}
      data-ops={ops}
      title={`Live checker: ${ops.toLocaleString('en-US')} operations checked, ${headline}${feed ? ` (${feed})` : ''}. Click for the Verdict tab.`}
      onClick={() => setTab('verdict')}
    >
      {bad ? `⚠ ${anomalies} ${anomalies === 1 ? 'anomaly' : 'anomalies'}` : '✓ no anomalies'} ·{' '}
      {ops.toLocaleString('en-US')} checked{short ? ` · ${short}` : ''}
    </button>
  )
}
