/** Hot spots: split hot partitions, reset the counters, salt a hot key; the hottest keys now. */
import { useState } from 'react'
import { ActionCard } from './ActionCard'
import { useAction } from './useAction'

export function HotSpotActions({ hotKeys }: { hotKeys: Array<[string, number]> }) {
  const [check, runCheck] = useAction()
  const [reset, runReset] = useAction()
  const [salt, runSalt] = useAction()
  const [threshold, setThreshold] = useState('2')
  const [minKeys, setMinKeys] = useState('2')
  const [key, setKey] = useState('')
  const [buckets, setBuckets] = useState('4')
  const [migrate, setMigrate] = useState(true)
  return (
    <>
      <ActionCard
        title="Check hot partitions"
        explain="Splits every range partition with more than threshold × the mean operations (and at least the given number of distinct keys used) at the median of those keys, then resets the counters."
        state={check}
        testId="action-check-hot"
      >
        <label className="inline-field">
          <span>Threshold ×</span>
          <input
            type="number"
            step="0.5"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            data-testid="cluster-hot-threshold"
          />
        </label>
        <label className="inline-field">
          <span>Min keys</span>
          <input type="number" min={1} value={minKeys} onChange={(e) => setMinKeys(e.target.value)} />
        </label>
        <button
          type="button"
          className="btn"
          disabled={check.busy}
          data-testid="cluster-check-hot"
          onClick={() =>
            void runCheck('check hot partitions', async (c) => {
              const split = await c.checkHotPartitions(Number(threshold), Number(minKeys))
              return split.length
                ? `Split hot partition${split.length === 1 ? '' : 's'} ${split.join(', ')}.`
                : `No partition is hotter than ${threshold} × the mean with ${minKeys}+ keys used: nothing split.`
            })
          }
        >
          {check.busy ? 'Checking…' : 'Check'}
        </button>
      </ActionCard>
      <ActionCard
        title="Reset metrics"
        explain="Zeroes the operation counters per partition and per key (the heat on the ring and the hot keys below)."
        state={reset}
        testId="action-reset-metrics"
      >
        <button
          type="button"
          className="btn"
          data-testid="cluster-reset-metrics"
          onClick={() =>
            void runReset('reset metrics', (c) => {
              c.resetMetrics()
              return 'Counters reset.'
            })
          }
        >
          Reset
        </button>
      </ActionCard>
      <ActionCard
        title="Mark a hot key"
        explain="Salts the key over buckets: writes go round-robin to 0#key, 1#key, … which land on different nodes; reads ask every bucket and keep the newest. Migrate copies its current value into every bucket."
        state={salt}
        testId="action-salt"
      >
        <label className="inline-field">
          <span>Key</span>
          <input
            value={key}
            placeholder="user:42"
            onChange={(e) => setKey(e.target.value)}
            data-testid="cluster-salt-key"
          />
        </label>
        <label className="inline-field">
          <span>Buckets</span>
          <input type="number" min={2} value={buckets} onChange={(e) => setBuckets(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={migrate} onChange={(e) => setMigrate(e.target.checked)} />
          Migrate
        </label>
        <button
          type="button"
          className="btn"
          disabled={salt.busy}
          data-testid="cluster-salt"
          onClick={() =>
            void runSalt(`salt ${JSON.stringify(key)}`, async (c) => {
              await c.markHotKey(key, Number(buckets), migrate)
              return `${JSON.stringify(key)} is salted over ${buckets} buckets.`
            })
          }
        >
          {salt.busy ? 'Salting…' : 'Salt'}
        </button>
      </ActionCard>
      <div className="hot-keys" data-testid="hot-keys">
        <h4>Hottest keys</h4>
        {hotKeys.length === 0 ? (
          <p className="muted">
            No operations counted yet. Counters see operations made through the page (console, data browser,
            and the workload in the simulator).
          </p>
        ) : (
          <ol>
            {hotKeys.map(([k, n]) => (
              <li key={k}>
                <code>{k}</code> <span className="muted">{n} ops</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  )
}
