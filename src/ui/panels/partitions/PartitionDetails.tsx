/** The selected partition: its range, owners, heat, the move copying it, and Split (range, hash) / Move actions. */
import { useState } from 'react'
import type { PartitionMap } from '../../../core/ring/placement'
import type { PartitionArc } from '../../model/partitionView'
import { useStore } from '../../store/store'
import { ActionCard } from '../cluster/ActionCard'
import { HASH_SPLIT_TEXT, splitText } from '../cluster/PartitionActions'
import { useAction } from '../cluster/useAction'
import { NodeChip } from '../NodeChip'

export function PartitionDetails({
  arc,
  map,
  onSplit,
}: {
  arc: PartitionArc
  map: PartitionMap
  onSplit(): void
}) {
  const members = useStore((s) => s.members)
  const [split, runSplit] = useAction()
  const [move, runMove] = useAction()
  const [key, setKey] = useState('')
  const [to, setTo] = useState('')
  const dst = members.includes(to) && to !== arc.owner ? to : (members.find((m) => m !== arc.owner) ?? '')
  return (
    <div className="partition-details" data-testid="partition-details" data-partition={arc.id}>
      <h4>
        Partition {arc.id} <span className="muted">{arc.label}</span>
      </h4>
      <p>
        Owners:{' '}
        {arc.replicas.map((r, i) => (
          <NodeChip key={r} id={r} note={i === 0 ? 'primary' : `#${i + 1}`} />
        ))}
      </p>
      <p>
        {arc.ops} client ops{arc.heat > 0 ? ` · ${arc.heat.toFixed(1)} × the mean` : ''}
        {arc.hot ? ' · hot' : ''}
        {arc.moving ? ` · being copied to ${arc.moving.to.join(', ')}` : ''}
      </p>
      {(map.strategy === 'range' || map.strategy === 'hash') && (
        <ActionCard
          title="Split this partition"
          explain={
            map.strategy === 'hash'
              ? HASH_SPLIT_TEXT
              : 'Rows from the split key on move to a new partition on the least loaded node; blank uses the median stored key.'
          }
          state={split}
          testId="partition-split"
        >
          {map.strategy === 'range' && (
            <label className="inline-field">
              <span>Split key</span>
              <input
                value={key}
                placeholder="median"
                onChange={(e) => setKey(e.target.value)}
                data-testid="partition-split-key"
              />
            </label>
          )}
          <button
            type="button"
            className="btn"
            disabled={split.busy}
            data-testid="partition-split-go"
            onClick={() =>
              void runSplit(`split partition ${arc.id}`, async (c) => {
                const note = await splitText(c, arc.id, map.strategy === 'range' ? key : '')
                onSplit()
                return note
              })
            }
          >
            {split.busy ? 'Splitting…' : 'Split'}
          </button>
        </ActionCard>
      )}
      <ActionCard
        title="Move this partition"
        explain="Its rows stream to the chosen node first; then the map gives it the partition."
        state={move}
        testId="partition-move"
      >
        <label className="inline-field">
          <span>To</span>
          <select value={dst} onChange={(e) => setTo(e.target.value)} data-testid="partition-move-to">
            {members
              .filter((m) => m !== arc.owner)
              .map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          disabled={move.busy || !dst}
          data-testid="partition-move-go"
          onClick={() =>
            void runMove(`move partition ${arc.id} to ${dst}`, async (c) => {
              await c.transferPartition(arc.owner, dst, arc.id)
              return `Partition ${arc.id} is now on ${dst}.`
            })
          }
        >
          {move.busy ? 'Moving…' : 'Move'}
        </button>
      </ActionCard>
    </div>
  )
}
