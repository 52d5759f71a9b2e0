/** One-click A/B comparisons: two configurations, one seed, one workload, one inline fault schedule. */
import type { AbSpec } from './abCompare'

const WORKLOAD = {
  seed: 42,
  numNodes: 5,
  processes: 4,
  opsPerProcess: 40,
  keys: 3,
  thinkMsMax: 250,
  readFraction: 0.5,
  bucketMs: 500,
}

/** A partition of 2 against 3 from 1.5 s to 6 s. */
const PARTITION: AbSpec['schedule'] = [
  {
    atMs: 1500,
    kind: 'partition',
    groups: [
      [0, 1],
      [2, 3, 4],
    ],
  },
  { atMs: 6000, kind: 'heal' },
]

export const AB_PRESETS: readonly AbSpec[] = [
  {
    name: 'Quorum overlap: R=W=1 vs R=W=2 under a partition',
    ...WORKLOAD,
    base: { replicationFactor: 3, sloppyQuorum: false, antiEntropyIntervalMs: 0 },
    a: { label: 'R=W=1 (N=3)', options: { writeQuorum: 1, readQuorum: 1 } },
    b: { label: 'R=W=2 (N=3)', options: { writeQuorum: 2, readQuorum: 2 } },
    schedule: PARTITION,
  },
  {
    name: 'Sloppy vs strict quorum (R=W=2) under a partition',
    ...WORKLOAD,
    base: { replicationFactor: 3, writeQuorum: 2, readQuorum: 2, antiEntropyIntervalMs: 0 },
    a: { label: 'sloppy quorum', options: { sloppyQuorum: true } },
    b: { label: 'strict quorum', options: { sloppyQuorum: false } },
    schedule: PARTITION,
  },
  {
    name: 'LWW vs siblings: writes on both sides of a partition',
    ...WORKLOAD,
    readFraction: 0.3,
    base: { replicationFactor: 3, writeQuorum: 1, readQuorum: 1, antiEntropyIntervalMs: 0 },
    a: { label: 'LWW', options: { consistencyMode: 'lww' } },
    b: { label: 'siblings (vector)', options: { consistencyMode: 'vector' } },
    schedule: PARTITION,
  },
]
