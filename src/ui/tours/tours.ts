/**
 * The guided tours, as data: setup options, steps with their detectors and narration. The first
 * four are the "Try this" cards; the last two cover conflict modes and elasticity.
 */
import {
  backlogAtLeast,
  clockSkewed,
  converged,
  healed,
  hintsDrained,
  hintsPiledUp,
  nodeAdded,
  nodeBackUp,
  nodeKilled,
  memoNum as num,
  partitioned,
  ringShown,
  rowsMoved,
  secondsBetween,
  memoStr as str,
  tabOpen,
  trackHandOver,
  trackHints,
  trackMerkle,
  trackPartition,
  trackPeaks,
  trackStartMembers,
  userOp,
} from './detectors'
import type { Memo, Tour, TourObs, TourStep } from './types'

const node = (id: string) => `[data-testid="db-node-${id}"]`
const ZONE_B = '[data-testid="zone-B"]'
const CONSOLE = '[data-testid="tab-console"]'
const HEAL = '[data-testid="heal-all"]'

/** Runs several trackers and merges what they found. */
function tracks(...fns: Array<(obs: TourObs, memo: Memo) => Memo | null>) {
  return (obs: TourObs, memo: Memo): Memo | null => {
    let out: Record<string, number | string> | null = null
    for (const f of fns) {
      const r = f(obs, out ? { ...memo, ...out } : memo)
      if (r) out = { ...(out ?? {}), ...r }
    }
    return out
  }
}

const isolatedOf = (m: Memo): string[] => str(m, 'isolated').split(',').filter(Boolean)
const sideOf = (m: Memo, node: string): 'isolated' | 'rest' =>
  isolatedOf(m).includes(node) ? 'isolated' : 'rest'

const partitionStep = (instruction: string, target = ZONE_B): TourStep => ({
  id: 'partition',
  instruction,
  target,
  check: partitioned,
  saw: (m) =>
    `${isolatedOf(m).join(' and ')} ${isolatedOf(m).length === 1 ? 'is' : 'are'} cut off from the rest: messages between the zones are dropped.`,
})

const healStep = (saw: (m: Memo) => string): TourStep => ({
  id: 'heal',
  instruction: 'Press “Heal all” (or drag the node back into zone A).',
  target: HEAL,
  check: healed,
  saw,
})

const partitionQuorums: Tour = {
  id: 'partition-quorums',
  title: 'Partition and quorums',
  blurb: 'Cut node_2 off with N=3, W=R=2 and see which consistency levels still answer.',
  setup: {
    values: { numNodes: '3', replicationFactor: '3', writeQuorum: '2', readQuorum: '2', sloppyQuorum: false },
  },
  track: tracks(trackPartition, trackPeaks),
  steps: [
    partitionStep('Drag node_2 into zone B (or ⋮ on node_2 → Move to zone B).', node('node_2')),
    {
      id: 'all-fails',
      instruction: 'In the Console, put any key at level ALL: it needs all 3 replicas.',
      target: CONSOLE,
      check: userOp(
        (o) => o.op === 'put' && o.level === 'ALL' && !o.ok,
        (o) => ({ allNode: o.node, allCode: o.errorCode ?? 'an error' }),
      ),
      saw: (m) =>
        `The put at ALL through ${str(m, 'allNode')} failed with ${str(m, 'allCode')}: one of the three replicas is across the partition.`,
    },
    {
      id: 'isolated-quorum-fails',
      instruction: 'Now put at QUORUM with the coordinator on the cut-off side (node_2).',
      target: CONSOLE,
      check: userOp(
        (o, m) => o.op === 'put' && o.level === 'QUORUM' && !o.ok && sideOf(m, o.node) === 'isolated',
        (o) => ({ quorumNode: o.node, quorumCode: o.errorCode ?? 'an error' }),
      ),
      saw: (m) =>
        `${str(m, 'quorumNode')} alone cannot gather 2 of 3 acknowledgements (${str(m, 'quorumCode')}), and with the sloppy quorum off no stand-in takes the write.`,
    },
    {
      id: 'isolated-one-works',
      instruction: 'Put at ONE through the same node.',
      target: CONSOLE,
      check: userOp(
        (o, m) => o.op === 'put' && o.level === 'ONE' && o.ok && sideOf(m, o.node) === 'isolated',
        (o) => ({ oneNode: o.node, oneAcks: o.acks ?? 1 }),
      ),
      saw: (m) =>
        `ONE succeeded with ${num(m, 'oneAcks')} acknowledgement: the write lives on ${str(m, 'oneNode')} only until the partition heals.`,
    },
    healStep(
      (m) =>
        `Healed after ${secondsBetween(m, 'partitionedAtMs', 'healedAtMs')} s; while cut off the background workload saw up to ${num(m, 'errorsPeak')} failed ops/s.`,
    ),
  ],
  summary: () =>
    'A partition costs availability at the levels that need the far side: ALL fails everywhere, QUORUM only on the minority side, ONE keeps working (and may be stale).',
}

const hints: Tour = {
  id: 'hints',
  title: 'Kill a node and watch hints',
  blurb: 'N=3 of 5 with a sloppy quorum: a killed node’s writes wait as hints on a stand-in.',
  setup: { values: { numNodes: '5', replicationFactor: '3', sloppyQuorum: true } },
  track: trackHints,
  steps: [
    {
      id: 'kill',
      instruction: 'Kill a node: drag it onto the kill area, or ⋮ → Kill.',
      target: '[data-testid="kill-area"]',
      check: nodeKilled,
      saw: (m) =>
        `${str(m, 'killed')} is down; once the failure detector notices, writes it owns go to a stand-in with a hint.`,
    },
    {
      id: 'hints-pile',
      instruction: 'Watch the hints counters: the workload keeps writing.',
      target: (m) => (str(m, 'hintHolder') ? node(str(m, 'hintHolder')) : '[data-testid="canvas"]'),
      check: hintsPiledUp(10),
      saw: (m) =>
        `${str(m, 'hintHolder')} holds ${num(m, 'hintHolderPeak')} hints for ${str(m, 'killed')} (${num(m, 'hintsSeen')} across the cluster).`,
    },
    {
      id: 'restart',
      instruction: 'Restart the node: ⋮ on it → Restart (or “Heal all”).',
      target: (m) => node(str(m, 'killed')),
      check: nodeBackUp('killed'),
      saw: (m) =>
        `${str(m, 'killed')} is back after ${secondsBetween(m, 'killedAtMs', 'restartedAtMs')} s; the stand-ins start replaying their hints.`,
    },
    {
      id: 'drain',
      instruction: 'Watch the hints drain to zero.',
      target: '[data-testid="canvas"]',
      check: hintsDrained,
      saw: (m) =>
        `${str(m, 'hintHolder')} held up to ${num(m, 'hintHolderPeak')} hints for ${str(m, 'killed')} (${num(m, 'hintsPeak')} in all); they drained in ${secondsBetween(m, 'restartedAtMs', 'drainedAtMs')} s.`,
    },
  ],
  summary: (m) =>
    `Hinted handoff kept writes available while ${str(m, 'killed')} was down and handed them back when it returned.`,
}

const antiEntropy: Tour = {
  id: 'anti-entropy',
  title: 'Anti-entropy after heal',
  blurb: 'W=1 on both sides of a partition, then heal: replicas converge again.',
  setup: {
    values: {
      numNodes: '3',
      replicationFactor: '3',
      writeQuorum: '1',
      readQuorum: '1',
      antiEntropyIntervalMs: '3000',
    },
  },
  track: tracks(trackPartition, trackPeaks, trackMerkle),
  steps: [
    partitionStep('Drag node_2 into zone B.', node('node_2')),
    {
      id: 'diverge',
      instruction: 'Let both sides take writes (W=1): watch the backlog counters grow.',
      target: '[data-testid="canvas"]',
      check: backlogAtLeast(20),
      saw: (m) =>
        `${num(m, 'backlogSeen')} ops wait for a peer across the partition: the replicas now differ.`,
    },
    healStep(
      (m) =>
        `Healed after ${secondsBetween(m, 'partitionedAtMs', 'healedAtMs')} s with a backlog of up to ${num(m, 'backlogPeak')} ops.`,
    ),
    {
      id: 'converge',
      instruction:
        'Watch the backlog drain and the Merkle exchanges (Merkle tab) find nothing left to repair.',
      target: '[data-testid="tab-merkle"]',
      check: converged,
      saw: (m) =>
        `Converged ${secondsBetween(m, 'healedAtMs', 'convergedAtMs')} s after the heal (backlog ${num(m, 'backlogPeak')} → ${num(m, 'backlogLeft')} ops); ${num(m, 'aeExchanges')} Merkle exchanges since then, ${num(m, 'aeMismatched')} mismatched leaves, ${num(m, 'aeApplied')} keys repaired.`,
    },
  ],
  summary: () =>
    'Replication catches up what it can; Merkle anti-entropy compares ranges and streams only what differs, so replicas converge even with no reads.',
}

const clockSkew: Tour = {
  id: 'clock-skew',
  title: 'Clock skew loses writes under wall-clock LWW',
  blurb: 'Timestamps from wall clocks: a node whose clock runs ahead wins every conflict.',
  setup: { values: { numNodes: '3', replicationFactor: '3' }, extra: { timestampSource: 'wallclock' } },
  steps: [
    {
      id: 'skew',
      instruction: 'On node_0: ⋮ → Clock skew, set +60000 ms.',
      target: node('node_0'),
      check: clockSkewed(1000),
      saw: (m) =>
        `${str(m, 'skewed')}’s clock now runs ${Math.round(num(m, 'skewMs') / 1000)} s ${num(m, 'skewMs') > 0 ? 'ahead' : 'behind'}.`,
    },
    {
      id: 'write-skewed',
      instruction: 'In the Console, put key cart = milk through the skewed node.',
      target: CONSOLE,
      check: userOp(
        (o, m) => o.op === 'put' && o.key === 'cart' && o.ok && o.node === str(m, 'skewed'),
        (o) => ({ firstValue: o.value ?? '' }),
      ),
      saw: (m) => `cart = ${str(m, 'firstValue')} was stamped with ${str(m, 'skewed')}’s clock.`,
    },
    {
      id: 'write-later',
      instruction: 'Now put cart = eggs through another node.',
      target: CONSOLE,
      check: userOp(
        (o, m) => o.op === 'put' && o.key === 'cart' && o.ok && o.node !== str(m, 'skewed'),
        (o) => ({ secondValue: o.value ?? '', secondNode: o.node, secondAcks: o.acks ?? 0 }),
      ),
      saw: (m) =>
        `cart = ${str(m, 'secondValue')} was acknowledged by ${num(m, 'secondAcks')} replicas: it is the later write.`,
    },
    {
      id: 'read',
      instruction: 'Get cart.',
      target: CONSOLE,
      check: userOp(
        (o) => o.op === 'get' && o.key === 'cart' && o.ok,
        (o) => ({ readValue: o.readValue ?? '(absent)' }),
      ),
      saw: (m) =>
        str(m, 'readValue') === str(m, 'firstValue')
          ? `The read returned ${str(m, 'readValue')}: the later, acknowledged ${str(m, 'secondValue')} lost because ${str(m, 'skewed')}’s timestamp was ahead.`
          : `The read returned ${str(m, 'readValue')} (skew shows when the skewed node’s clock is ahead of the later write).`,
    },
  ],
  summary: () =>
    'Wall-clock LWW silently drops acknowledged writes under skew; Lamport timestamps (the default) or siblings do not.',
}

const conflictModes: Tour = {
  id: 'conflict-modes',
  title: 'Siblings in vector mode, lost writes in LWW',
  blurb: 'Two sides of a partition write the same key: vector mode keeps both as siblings.',
  setup: { values: { numNodes: '3', replicationFactor: '3', consistencyMode: 'vector' } },
  track: trackPartition,
  steps: [
    partitionStep('Drag node_0 into zone B.', node('node_0')),
    {
      id: 'write-a',
      instruction: 'In the Console, put cart = milk at ONE through a node in zone B.',
      target: CONSOLE,
      check: userOp(
        (o, m) => o.op === 'put' && o.key === 'cart' && o.ok && sideOf(m, o.node) === 'isolated',
        (o) => ({ aValue: o.value ?? '', aNode: o.node }),
      ),
      saw: (m) => `${str(m, 'aNode')} acknowledged cart = ${str(m, 'aValue')} on its side.`,
    },
    {
      id: 'write-b',
      instruction: 'Put cart = eggs at ONE through a node in zone A.',
      target: CONSOLE,
      check: userOp(
        (o, m) => o.op === 'put' && o.key === 'cart' && o.ok && sideOf(m, o.node) === 'rest',
        (o) => ({ bValue: o.value ?? '', bNode: o.node }),
      ),
      saw: (m) =>
        `${str(m, 'bNode')} acknowledged cart = ${str(m, 'bValue')}: two concurrent writes, neither saw the other.`,
    },
    healStep(() => 'The sides exchange their writes again.'),
    {
      id: 'read',
      instruction: 'Get cart at ALL.',
      target: CONSOLE,
      check: userOp(
        (o) => o.op === 'get' && o.key === 'cart' && o.ok,
        (o) => ({ siblings: o.siblings ?? 0 }),
      ),
      saw: (m) =>
        num(m, 'siblings') >= 2
          ? `The read returned ${num(m, 'siblings')} siblings: both acknowledged writes kept; “Resolve” writes one back with their context.`
          : `The read returned ${num(m, 'siblings')} value(s): repair may still be in flight, read again.`,
    },
  ],
  summary: () =>
    'In LWW the same steps keep one value and lose an acknowledged write; vector mode returns both and lets the client merge.',
}

const elasticity: Tour = {
  id: 'elasticity',
  title: 'Add a node, watch ranges move',
  blurb: 'A new node takes tokens on the ring; the old owners stream it its rows.',
  setup: { values: { numNodes: '5', replicationFactor: '3' } },
  track: tracks(trackStartMembers, trackHandOver),
  steps: [
    {
      id: 'cluster-tab',
      instruction: 'Open the Cluster tab.',
      target: '[data-testid="tab-cluster"]',
      check: tabOpen('cluster'),
      saw: () => 'Membership, moves and hot spots live here.',
    },
    {
      id: 'add',
      instruction: 'Press “Add node”.',
      target: '[data-testid="cluster-add-node"]',
      check: nodeAdded,
      saw: (m) => `${str(m, 'joined')} joined with tokens of its own; the ranges they cover change hands.`,
    },
    {
      id: 'moved',
      instruction: 'Watch the moves list: rows stream to the new owner before the change is published.',
      target: '[data-testid="move"]',
      check: rowsMoved,
      saw: (m) =>
        `${num(m, 'rowsMoved')} rows streamed to their new replicas (first from ${str(m, 'movedFrom')}) before the new map was published.`,
    },
    {
      id: 'ring-tab',
      instruction: 'Open the Ring tab to see the new node’s tokens.',
      target: '[data-testid="tab-ring"]',
      check: ringShown,
      saw: (m) =>
        `Ring version ${num(m, 'ringVersionNow')}: ${str(m, 'joined')} holds ${num(m, 'joinedKeys')} rows of its ranges; the other nodes kept the rest.`,
    },
  ],
  summary: (m) =>
    `Adding ${str(m, 'joined')} moved only the ranges its tokens took (${num(m, 'rowsMoved')} rows streamed), and every key stayed readable while they moved.`,
}

export const TOURS: readonly Tour[] = [
  partitionQuorums,
  hints,
  antiEntropy,
  clockSkew,
  conflictModes,
  elasticity,
]

export function tourById(id: string): Tour | undefined {
  return TOURS.find((t) => t.id === id)
}
