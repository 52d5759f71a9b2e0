/** Add a node, remove a node, set the transfer rate, rebalance. */
import { useState } from 'react'
import { formatBytes } from '../../model/partitionView'
import { useStore } from '../../store/store'
import { ActionCard } from './ActionCard'
import { useAction } from './useAction'

export function MembershipActions({ rateBytesPerSec }: { rateBytesPerSec: number }) {
  const members = useStore((s) => s.members)
  const [add, runAdd] = useAction()
  const [remove, runRemove] = useAction()
  const [rate, runRate] = useAction()
  const [rebalance, runRebalance] = useAction()
  const [victim, setVictim] = useState('')
  const [rateText, setRateText] = useState('')
  const target = members.includes(victim) ? victim : (members.at(-1) ?? '')
  return (
    <>
      <ActionCard
        title="Add a node"
        explain="Starts a node with the next index. It takes partitions from the others: their rows stream to it first, and only then does the new map go into force, so every key stays readable."
        state={add}
        testId="action-add-node"
      >
        <button
          type="button"
          className="btn"
          disabled={add.busy}
          data-testid="cluster-add-node"
          onClick={() => void runAdd('add a node', async (c) => `${await c.addNode()} joined.`)}
        >
          {add.busy ? 'Adding…' : 'Add node'}
        </button>
      </ActionCard>
      <ActionCard
        title="Remove a node"
        explain="Its partitions go to the others; its rows (and every other replica's) stream to their next owners before the node leaves. Refused if fewer nodes than N, W or R would remain."
        state={remove}
        testId="action-remove-node"
      >
        <label className="inline-field">
          <span>Node</span>
          <select
            value={target}
            onChange={(e) => setVictim(e.target.value)}
            data-testid="cluster-remove-select"
          >
            {members.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          disabled={remove.busy || !target}
          data-testid="cluster-remove-node"
          onClick={() =>
            void runRemove(`remove ${target}`, async (c) => {
              await c.removeNode(target)
              return `${target} left; its partitions moved.`
            })
          }
        >
          {remove.busy ? 'Removing…' : 'Remove'}
        </button>
      </ActionCard>
      <ActionCard
        title="Transfer rate"
        explain={`Caps how fast moves stream rows, in bytes per second over the whole cluster (now: ${
          rateBytesPerSec > 0 ? `${formatBytes(rateBytesPerSec)}/s` : 'unlimited'
        }). A low rate makes a move slow enough to watch.`}
        state={rate}
        testId="action-rate"
      >
        <label className="inline-field">
          <span>Bytes/s</span>
          <input
            type="number"
            min={1}
            value={rateText}
            placeholder="e.g. 2000"
            onChange={(e) => setRateText(e.target.value)}
            data-testid="cluster-rate-input"
          />
        </label>
        <button
          type="button"
          className="btn"
          data-testid="cluster-rate-set"
          onClick={() =>
            void runRate('set the transfer rate', (c) => {
              const v = rateText.trim() === '' ? Number.NaN : Number(rateText)
              c.setMaxTransferRate(v)
              return `Moves now stream at most ${formatBytes(v)}/s.`
            })
          }
        >
          Set
        </button>
      </ActionCard>
      <ActionCard
        title="Rebalance"
        explain="Evens out how many partitions each node holds, moving one at a time from the most to the least loaded node (data first, then the map)."
        state={rebalance}
        testId="action-rebalance"
      >
        <button
          type="button"
          className="btn"
          disabled={rebalance.busy}
          data-testid="cluster-rebalance"
          onClick={() =>
            void runRebalance('rebalance', async (c) => {
              const v = c.getPartitionMap().version
              await c.rebalance()
              return c.getPartitionMap().version === v ? 'Already balanced: nothing moved.' : 'Rebalanced.'
            })
          }
        >
          {rebalance.busy ? 'Rebalancing…' : 'Rebalance'}
        </button>
      </ActionCard>
    </>
  )
}
