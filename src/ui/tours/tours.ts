/**
 * The guided tours, as scenario documents: each is a cluster (options, seed), the gentle workload
 * from t = 0, no recorded steps, and a narration — its steps, targets, completion conditions and
 * texts, all data (src/scenario/narration.ts), checked by the same schema as any document. The first
 * four are the "Try this" cards; the last two cover conflict modes and elasticity.
 */
import type { ClusterOptions } from '../../cluster/types'
import type { Narration, NarrationStep } from '../../scenario/narration'
import { SCENARIO_VERSION, type ScenarioDoc } from '../../scenario/schema'
import { PAGE_HINT_REPLAY_BYTES_PER_SEC, PAGE_MEMTABLE_BYTES } from '../pageDefaults'
import { compileTour } from './conditions'
import { GENTLE_SPEC } from './gentle'
import type { Tour } from './types'

const node = (id: string) => `[data-testid="db-node-${id}"]`
const ZONE_B = '[data-testid="zone-B"]'
const CONSOLE = '[data-testid="tab-console"]'
const HEAL = '[data-testid="heal-all"]'
const CANVAS = '[data-testid="canvas"]'

/** A tour's document: the page's cluster defaults under `options`, the gentle workload, no steps. */
function tourDoc(title: string, options: Partial<ClusterOptions>, narration: Narration): ScenarioDoc {
  return {
    version: SCENARIO_VERSION,
    seed: 1,
    runtime: 'worker',
    options: {
      sloppyQuorum: true,
      memtableBytesMax: PAGE_MEMTABLE_BYTES,
      hintReplayBytesPerSec: PAGE_HINT_REPLAY_BYTES_PER_SEC,
      ...options,
    },
    workload: { ...GENTLE_SPEC },
    steps: [],
    durationMs: 0,
    title,
    narration,
  }
}

const partitionStep = (text: string, target: string[] = [ZONE_B]): NarrationStep => ({
  id: 'partition',
  text,
  target,
  done: { state: 'partitioned' },
  saw: '{isolatedList} {isolatedVerb} cut off from the rest: messages between the zones are dropped.',
})

const healStep = (saw: NarrationStep['saw']): NarrationStep => ({
  id: 'heal',
  text: 'Press “Heal all” (or drag the node back into zone A).',
  target: [HEAL],
  done: { state: 'healed' },
  saw,
})

const partitionQuorums = tourDoc(
  'Partition and quorums',
  { numNodes: 3, replicationFactor: 3, writeQuorum: 2, readQuorum: 2, sloppyQuorum: false },
  {
    tour: 'partition-quorums',
    blurb: 'Cut node_2 off with N=3, W=R=2 and see which consistency levels still answer.',
    track: ['partition', 'peaks'],
    steps: [
      partitionStep('Drag node_2 into zone B (or ⋮ on node_2 → Move to zone B).', [node('node_2')]),
      {
        id: 'all-fails',
        text: 'In the Console, put any key at level ALL: it needs all 3 replicas.',
        target: [CONSOLE],
        done: { action: 'put', level: 'ALL', ok: false, save: { allNode: 'node', allCode: 'errorCode' } },
        saw: 'The put at ALL through {allNode} failed with {allCode|an error}: one of the three replicas is across the partition.',
      },
      {
        id: 'isolated-quorum-fails',
        text: 'Now put at QUORUM with the coordinator on the cut-off side (node_2).',
        target: [CONSOLE],
        done: {
          action: 'put',
          level: 'QUORUM',
          ok: false,
          node: { side: 'isolated' },
          save: { quorumNode: 'node', quorumCode: 'errorCode' },
        },
        saw: '{quorumNode} alone cannot gather 2 of 3 acknowledgements ({quorumCode|an error}), and with the sloppy quorum off no stand-in takes the write.',
      },
      {
        id: 'isolated-one-works',
        text: 'Put at ONE through the same node.',
        target: [CONSOLE],
        done: {
          action: 'put',
          level: 'ONE',
          ok: true,
          node: { side: 'isolated' },
          save: { oneNode: 'node', oneAcks: 'acks' },
        },
        saw: 'ONE succeeded with {oneAcks|1} acknowledgement: the write lives on {oneNode} only until the partition heals.',
      },
      healStep(
        'Healed after {dt:partitionedAtMs:healedAtMs} s; while cut off the background workload saw up to {errorsPeak|0} failed ops/s.',
      ),
    ],
    summary:
      'A partition costs availability at the levels that need the far side: ALL fails everywhere, QUORUM only on the minority side, ONE keeps working (and may be stale).',
  },
)

const hints = tourDoc(
  'Kill a node and watch hints',
  { numNodes: 5, replicationFactor: 3, sloppyQuorum: true },
  {
    tour: 'hints',
    blurb: 'N=3 of 5 with a sloppy quorum: a killed node’s writes wait as hints on a stand-in.',
    track: ['hints'],
    steps: [
      {
        id: 'kill',
        text: 'Kill a node: drag it onto the kill area, or ⋮ → Kill.',
        target: ['[data-testid="kill-area"]'],
        done: { state: 'nodeDown' },
        saw: '{killed} is down; once the failure detector notices, writes it owns go to a stand-in with a hint.',
      },
      {
        id: 'hints-pile',
        text: 'Watch the hints counters: the workload keeps writing.',
        target: [node('{hintHolder}'), CANVAS],
        done: { state: 'hintsAtLeast', min: 10 },
        saw: '{hintHolder} holds {hintHolderPeak|0} hints for {killed} ({hintsSeen|0} across the cluster).',
      },
      {
        id: 'restart',
        text: 'Restart the node: ⋮ on it → Restart (or “Heal all”).',
        target: [node('{killed}')],
        done: { state: 'nodeUp', node: 'killed' },
        saw: '{killed} is back after {dt:killedAtMs:restartedAtMs} s; the stand-ins start replaying their hints.',
      },
      {
        id: 'drain',
        text: 'Watch the hints drain to zero.',
        target: [CANVAS],
        done: { state: 'hintsDrained' },
        saw: '{hintHolder} held up to {hintHolderPeak|0} hints for {killed} ({hintsPeak|0} in all); they drained in {dt:restartedAtMs:drainedAtMs} s.',
      },
    ],
    summary:
      'Hinted handoff kept writes available while {killed} was down and handed them back when it returned.',
  },
)

const antiEntropy = tourDoc(
  'Anti-entropy after heal',
  { numNodes: 3, replicationFactor: 3, writeQuorum: 1, readQuorum: 1, antiEntropyIntervalMs: 3000 },
  {
    tour: 'anti-entropy',
    blurb: 'W=1 on both sides of a partition, then heal: replicas converge again.',
    track: ['partition', 'peaks', 'merkle'],
    steps: [
      partitionStep('Drag node_2 into zone B.', [node('node_2')]),
      {
        id: 'diverge',
        text: 'Let both sides take writes (W=1): watch the backlog counters grow.',
        target: [CANVAS],
        done: { state: 'backlogAtLeast', min: 20 },
        saw: '{backlogSeen} ops wait for a peer across the partition: the replicas now differ.',
      },
      healStep('Healed after {dt:partitionedAtMs:healedAtMs} s with a backlog of up to {backlogPeak|0} ops.'),
      {
        id: 'converge',
        text: 'Watch the backlog drain and the Merkle exchanges (Merkle tab) find nothing left to repair.',
        target: ['[data-testid="tab-merkle"]'],
        done: { state: 'converged' },
        saw: 'Converged {dt:healedAtMs:convergedAtMs} s after the heal (backlog {backlogPeak|0} → {backlogLeft|0} ops); {aeExchanges|0} Merkle exchanges since then, {aeMismatched|0} mismatched leaves, {aeApplied|0} keys repaired.',
      },
    ],
    summary:
      'Replication catches up what it can; Merkle anti-entropy compares ranges and streams only what differs, so replicas converge even with no reads.',
  },
)

const clockSkew = tourDoc(
  'Clock skew loses writes under wall-clock LWW',
  { numNodes: 3, replicationFactor: 3, timestampSource: 'wallclock' },
  {
    tour: 'clock-skew',
    blurb: 'Timestamps from wall clocks: a node whose clock runs ahead wins every conflict.',
    steps: [
      {
        id: 'skew',
        text: 'On node_0: ⋮ → Clock skew, set +60000 ms.',
        target: [node('node_0')],
        done: { state: 'clockSkewed', minAbsMs: 1000 },
        saw: '{skewed}’s clock now runs {skewS} s {skewDir}.',
      },
      {
        id: 'write-skewed',
        text: 'In the Console, put key cart = milk through the skewed node.',
        target: [CONSOLE],
        done: { action: 'put', key: 'cart', ok: true, node: { is: 'skewed' }, save: { firstValue: 'value' } },
        saw: 'cart = {firstValue} was stamped with {skewed}’s clock.',
      },
      {
        id: 'write-later',
        text: 'Now put cart = eggs through another node.',
        target: [CONSOLE],
        done: {
          action: 'put',
          key: 'cart',
          ok: true,
          node: { isNot: 'skewed' },
          save: { secondValue: 'value', secondNode: 'node', secondAcks: 'acks' },
        },
        saw: 'cart = {secondValue} was acknowledged by {secondAcks|0} replicas: it is the later write.',
      },
      {
        id: 'read',
        text: 'Get cart.',
        target: [CONSOLE],
        done: { action: 'get', key: 'cart', ok: true, save: { readValue: 'readValue' } },
        saw: [
          {
            if: { same: ['readValue', 'firstValue'] },
            text: 'The read returned {readValue}: the later, acknowledged {secondValue} lost because {skewed}’s timestamp was ahead.',
          },
          {
            text: 'The read returned {readValue} (skew shows when the skewed node’s clock is ahead of the later write).',
          },
        ],
      },
    ],
    summary:
      'Wall-clock LWW silently drops acknowledged writes under skew; Lamport timestamps (the default) or siblings do not.',
  },
)

const conflictModes = tourDoc(
  'Siblings in vector mode, lost writes in LWW',
  { numNodes: 3, replicationFactor: 3, consistencyMode: 'vector' },
  {
    tour: 'conflict-modes',
    blurb: 'Two sides of a partition write the same key: vector mode keeps both as siblings.',
    track: ['partition'],
    steps: [
      partitionStep('Drag node_0 into zone B.', [node('node_0')]),
      {
        id: 'write-a',
        text: 'In the Console, put cart = milk at ONE through a node in zone B.',
        target: [CONSOLE],
        done: {
          action: 'put',
          key: 'cart',
          ok: true,
          node: { side: 'isolated' },
          save: { aValue: 'value', aNode: 'node' },
        },
        saw: '{aNode} acknowledged cart = {aValue} on its side.',
      },
      {
        id: 'write-b',
        text: 'Put cart = eggs at ONE through a node in zone A.',
        target: [CONSOLE],
        done: {
          action: 'put',
          key: 'cart',
          ok: true,
          node: { side: 'rest' },
          save: { bValue: 'value', bNode: 'node' },
        },
        saw: '{bNode} acknowledged cart = {bValue}: two concurrent writes, neither saw the other.',
      },
      healStep('The sides exchange their writes again.'),
      {
        id: 'read',
        text: 'Get cart at ALL.',
        target: [CONSOLE],
        done: { action: 'get', key: 'cart', ok: true, save: { siblings: 'siblings' } },
        saw: [
          {
            if: { atLeast: ['siblings', 2] },
            text: 'The read returned {siblings} siblings: both acknowledged writes kept; “Resolve” writes one back with their context.',
          },
          { text: 'The read returned {siblings|0} value(s): repair may still be in flight, read again.' },
        ],
      },
    ],
    summary:
      'In LWW the same steps keep one value and lose an acknowledged write; vector mode returns both and lets the client merge.',
  },
)

const elasticity = tourDoc(
  'Add a node, watch ranges move',
  { numNodes: 5, replicationFactor: 3 },
  {
    tour: 'elasticity',
    blurb: 'A new node takes tokens on the ring; the old owners stream it its rows.',
    track: ['startMembers', 'handOver'],
    steps: [
      {
        id: 'cluster-tab',
        text: 'Open the Cluster tab.',
        target: ['[data-testid="tab-cluster"]'],
        done: { state: 'tabOpen', tab: 'cluster' },
        saw: 'Membership, moves and hot spots live here.',
      },
      {
        id: 'add',
        text: 'Press “Add node”.',
        target: ['[data-testid="cluster-add-node"]'],
        done: { state: 'nodeAdded' },
        saw: '{joined} joined with tokens of its own; the ranges they cover change hands.',
      },
      {
        id: 'moved',
        text: 'Watch the moves list: rows stream to the new owner before the change is published.',
        target: ['[data-testid="move"]'],
        done: { state: 'rowsMoved' },
        saw: '{rowsMoved} rows streamed to their new replicas (first from {movedFrom}) before the new map was published.',
      },
      {
        id: 'ring-tab',
        text: 'Open the Ring tab to see the new node’s tokens.',
        target: ['[data-testid="tab-ring"]'],
        done: { state: 'ringShown' },
        saw: 'Ring version {ringVersionNow|0}: {joined} holds {joinedKeys|0} rows of its ranges; the other nodes kept the rest.',
      },
    ],
    summary:
      'Adding {joined} moved only the ranges its tokens took ({rowsMoved|0} rows streamed), and every key stayed readable while they moved.',
  },
)

/** The tours' documents, in card order (each can be shared as a `#s=` link). */
export const TOUR_DOCS: readonly ScenarioDoc[] = [
  partitionQuorums,
  hints,
  antiEntropy,
  clockSkew,
  conflictModes,
  elasticity,
]

export const TOURS: readonly Tour[] = TOUR_DOCS.map((d) => compileTour(d) as Tour)

/** Tours opened from a narrated `#s=` link (not among the cards). */
const linked = new Map<string, Tour>()

/** Makes a narrated document's tour openable by id (a link's tour replaces a card's of the same id). */
export function registerLinkedTour(tour: Tour): void {
  linked.set(tour.id, tour)
}

/** True when `id` is a tour opened from a link (its URL is the link, not `#tour=`). */
export function isLinkedTour(id: string): boolean {
  return linked.has(id)
}

export function tourById(id: string): Tour | undefined {
  return linked.get(id) ?? TOURS.find((t) => t.id === id)
}
