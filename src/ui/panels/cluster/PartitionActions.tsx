/** Split range and hash partitions, merge range partitions, and move a partition to another node. */
import { useState } from 'react'
import type { PartitionMap } from '../../../core/ring/placement'
import { useStore } from '../../store/store'
import { ActionCard } from './ActionCard'
import { useAction } from './useAction'

const RANGE_ONLY =
  'This cluster uses {s} partitioning, whose partitions are fixed: split and merge need range partitions (Cluster setup → Partitioning → range).'

/** What a hash split does, in words (the ring view and the Cluster tab say the same). */
export const HASH_SPLIT_TEXT =
  'Splits by the next bit of the key hash (linear hashing): the keys whose next bit is 1 move to a new partition on the least loaded node before the new map goes into force; no split key is needed.'

/** Range partition `pid` split at `key` (blank: the median stored key); returns the note. */
export async function splitText(
  c: {
    splitPartition(pid: number, key?: string): Promise<{ left: number; right: number; splitKey?: string }>
  },
  pid: number,
  key: string,
): Promise<string> {
  const r = await c.splitPartition(pid, key.trim() === '' ? undefined : key)
  const at = r.splitKey === undefined ? 'by the next bit of the key hash' : `at ${JSON.stringify(r.splitKey)}`
  return `Split ${at}: partitions ${r.left} and ${r.right}.`
}

export function PartitionActions({ map }: { map: PartitionMap }) {
  const members = useStore((s) => s.members)
  const [split, runSplit] = useAction()
  const [merge, runMerge] = useAction()
  const [move, runMove] = useAction()
  const [splitPid, setSplitPid] = useState('0')
  const [splitKey, setSplitKey] = useState('')
  const [mergePid, setMergePid] = useState('0')
  const [movePid, setMovePid] = useState('0')
  const [moveTo, setMoveTo] = useState('')
  const isRange = map.strategy === 'range'
  const canSplit = isRange || map.strategy === 'hash'
  const last = map.partitions.length - 1
  const owner = map.partitions[Number(movePid)]?.node
  const dst = members.includes(moveTo) && moveTo !== owner ? moveTo : (members.find((m) => m !== owner) ?? '')
  const pidOf = (t: string) => (t.trim() === '' ? Number.NaN : Number(t))
  return (
    <>
      <ActionCard
        title="Split a partition"
        explain={
          isRange
            ? 'Cuts a key range in two at the split key (blank: the median stored key). Rows from the key on move to the least loaded node before the new map goes into force.'
            : canSplit
              ? HASH_SPLIT_TEXT
              : RANGE_ONLY.replace('{s}', map.strategy)
        }
        state={split}
        testId="action-split"
      >
        <label className="inline-field">
          <span>Partition</span>
          <input
            type="number"
            min={0}
            max={last}
            value={splitPid}
            disabled={!canSplit}
            onChange={(e) => setSplitPid(e.target.value)}
            data-testid="cluster-split-pid"
          />
        </label>
        {!canSplit || isRange ? (
          <label className="inline-field">
            <span>Split key</span>
            <input
              value={splitKey}
              placeholder="median"
              disabled={!isRange}
              onChange={(e) => setSplitKey(e.target.value)}
              data-testid="cluster-split-key"
            />
          </label>
        ) : null}
        <button
          type="button"
          className="btn"
          disabled={!canSplit || split.busy}
          data-testid="cluster-split"
          onClick={() =>
            void runSplit(`split partition ${splitPid}`, (c) =>
              splitText(c, pidOf(splitPid), isRange ? splitKey : ''),
            )
          }
        >
          {split.busy ? 'Splitting…' : 'Split'}
        </button>
      </ActionCard>
      <ActionCard
        title="Merge two partitions"
        explain={
          isRange
            ? 'Joins a range with the next one; the second range’s rows move to the first one’s owner first.'
            : RANGE_ONLY.replace('{s}', map.strategy)
        }
        state={merge}
        testId="action-merge"
      >
        <label className="inline-field">
          <span>Partition</span>
          <input
            type="number"
            min={0}
            max={Math.max(0, last - 1)}
            value={mergePid}
            disabled={!isRange}
            onChange={(e) => setMergePid(e.target.value)}
            data-testid="cluster-merge-pid"
          />
        </label>
        <span className="muted">with partition {Number(mergePid) + 1}</span>
        <button
          type="button"
          className="btn"
          disabled={!isRange || merge.busy}
          data-testid="cluster-merge"
          onClick={() =>
            void runMerge(`merge partitions ${mergePid} and ${Number(mergePid) + 1}`, async (c) => {
              const a = pidOf(mergePid)
              await c.mergePartitions(a, a + 1)
              return `Merged into partition ${a}.`
            })
          }
        >
          {merge.busy ? 'Merging…' : 'Merge'}
        </button>
      </ActionCard>
      <ActionCard
        title="Move a partition"
        explain={`Gives one partition${map.strategy === 'ring' ? ' (a token arc)' : ''} to another node: its rows stream there first, then the map changes.`}
        state={move}
        testId="action-transfer"
      >
        <label className="inline-field">
          <span>Partition</span>
          <input
            type="number"
            min={0}
            max={last}
            value={movePid}
            onChange={(e) => setMovePid(e.target.value)}
            data-testid="cluster-transfer-pid"
          />
        </label>
        <label className="inline-field">
          <span>To</span>
          <select value={dst} onChange={(e) => setMoveTo(e.target.value)} data-testid="cluster-transfer-to">
            {members
              .filter((m) => m !== owner)
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
          disabled={move.busy}
          data-testid="cluster-transfer"
          onClick={() =>
            void runMove(`move partition ${movePid} to ${dst}`, async (c) => {
              const pid = pidOf(movePid)
              const from = c.getPartitionMap().partitions[pid]?.node ?? dst
              await c.transferPartition(from, dst, pid)
              return `Partition ${pid} is now on ${dst}.`
            })
          }
        >
          {move.busy ? 'Moving…' : 'Move'}
        </button>
      </ActionCard>
    </>
  )
}
