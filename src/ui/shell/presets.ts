/** The seed's scenarios as one-click presets: options plus the steps that set the stage. */
import type { Cluster } from '../../cluster/types'
import { moveToZone } from '../actions'
import { useStore } from '../store/store'
import { partitionedDoubleWrite, simVerdicts, verdictText } from './conflictPreset'
import { DEFAULT_SETUP, type SetupValues } from './setupForm'

export interface Preset {
  id: string
  title: string
  blurb: string
  values: Partial<SetupValues>
  /** The guided tour that continues from this preset's stage (its panel opens after setup). */
  tourId: string
  /** Runs after the cluster is up. */
  setup(c: Cluster): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function writeKeys(c: Cluster, node: number, prefix: string, n: number, level?: 'ONE'): Promise<void> {
  const s = useStore.getState()
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${String(i).padStart(2, '0')}`
    s.setProgress({ label: `Writing ${prefix}* keys`, done: i, total: n })
    await c.put(node, key, `v${i}@${prefix}`, level ? { level } : {}).catch(() => {})
  }
  s.setProgress(null)
}

export const PRESETS: Preset[] = [
  {
    id: 'conflict-modes',
    tourId: 'conflict-modes',
    title: 'LWW loses writes, siblings don’t',
    blurb:
      'vector mode, 3 nodes: node_0 alone and node_1 with node_2 each write “cart” during a partition. Read it in the console (two siblings, Resolve); the notice compares lww and crdt on the same run.',
    values: { numNodes: '3', replicationFactor: '3', consistencyMode: 'vector' },
    async setup(c) {
      const live = await partitionedDoubleWrite(c, 'vector')
      const others = await simVerdicts(1)
      useStore
        .getState()
        .setNotice(`Same partitioned double write — ${verdictText([others[0], live, others[1]])}`)
    },
  },
  {
    id: 'partition',
    tourId: 'partition-quorums',
    title: 'Quorum under a partition',
    blurb:
      'N=3, W=R=2. node_2 is cut off in zone B: writes at ALL fail, ONE succeeds, QUORUM works only in A.',
    values: { numNodes: '3', replicationFactor: '3', writeQuorum: '2', readQuorum: '2', sloppyQuorum: false },
    async setup() {
      await moveToZone('node_2', 'B')
    },
  },
  {
    id: 'hints',
    tourId: 'hints',
    title: 'Hinted handoff',
    blurb:
      'N=3 of 5 nodes, sloppy quorum. node_2 is killed, 20 writes go to stand-ins as hints; restart it to drain them.',
    values: { numNodes: '5', replicationFactor: '3', writeQuorum: '2', readQuorum: '2', sloppyQuorum: true },
    async setup(c) {
      await c.kill(2)
      await sleep(2200) // let the failure detector notice
      await writeKeys(c, 0, 'hint-', 20)
    },
  },
  {
    id: 'anti-entropy',
    tourId: 'anti-entropy',
    title: 'Anti-entropy after heal',
    blurb:
      'N=3, W=1, anti-entropy every 3 s. Both sides of a partition take writes; press “Heal all” and watch them converge.',
    values: {
      numNodes: '3',
      replicationFactor: '3',
      writeQuorum: '1',
      readQuorum: '1',
      antiEntropyIntervalMs: '3000',
    },
    async setup(c) {
      await moveToZone('node_2', 'B')
      await writeKeys(c, 0, 'left-', 10, 'ONE')
      await writeKeys(c, 2, 'right-', 10, 'ONE')
    },
  },
  {
    id: 'elastic',
    tourId: 'elasticity',
    title: 'Elastic range partitions',
    blurb:
      'Range partitions split at g, n, t; moves capped at 3 KB/s. 120 keys a…z are written: add a node or split a partition (Ring or Cluster tab) and watch the rows move.',
    values: {
      numNodes: '3',
      replicationFactor: '2',
      partitionStrategy: 'range',
      rangeBoundaries: 'g, n, t',
      maxTransferRate: '3000',
    },
    async setup(c) {
      const s = useStore.getState()
      const letters = 'abcdefghijklmnopqrstuvwxyz'
      for (let i = 0; i < 120; i++) {
        s.setProgress({ label: 'Writing keys a…z', done: i, total: 120 })
        await c.put(i % 3, `${letters[i % 26]}${String(i).padStart(3, '0')}`, `value ${i}`).catch(() => {})
      }
      s.setProgress(null)
      s.setTab('ring')
    },
  },
]

/** Full form values for a preset (defaults for what it does not set). */
export function presetValues(p: Preset, runtime: SetupValues['runtime']): SetupValues {
  return { ...DEFAULT_SETUP, runtime, ...p.values }
}
