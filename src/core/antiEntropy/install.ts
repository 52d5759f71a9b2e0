/**
 * Wiring of anti-entropy into a node and its public entry points: `installAntiEntropy` (called by
 * DbNode.open), `runAntiEntropy` (the Cluster API's on-demand trigger) and `inspectAntiEntropy`
 * (inspect(id).merkle for the dashboard).
 */
import type { NodeId } from '../ids'
import type { DbNode } from '../node/dbNode'
import { AntiEntropy, EXCHANGE_HISTORY_MAX } from './antiEntropy'
import { exchangeRange } from './exchange'
import type { ExchangeStats } from './exchangeStats'
import type { TreeShapeConfig } from './rangeIndex'
import { onMerkleReq, onRowsReq } from './responder'

/** Levels of each tree shown side by side in the dashboard (root first). */
export const INSPECT_LEVELS_MAX = 3

/** Builds the trees from a full scan, hooks durable writes and merkle messages, arms the periodic exchange. */
export async function installAntiEntropy(node: DbNode): Promise<AntiEntropy> {
  const ae = new AntiEntropy(node)
  await ae.reindex()
  node.onRowsDurable.push((records) => ae.index.trackAll(records))
  node.onMerkle.push((m) => {
    if (m.type === 'merkle-req') onMerkleReq(ae, m)
    else if (m.type === 'merkle-rows-req') void onRowsReq(ae, m)
  })
  const intervalMs = node.config.antiEntropyIntervalMs
  if (intervalMs > 0) {
    const arm = (delayMs: number): void => {
      node.env.timers.set(delayMs, () => {
        if (node.isStopped) return
        void periodicExchange(ae).finally(() => {
          if (!node.isStopped) arm(node.config.antiEntropyIntervalMs || intervalMs)
        })
      })
    }
    // A random phase so the nodes do not all exchange at the same instant.
    arm(intervalMs + node.env.random.int(intervalMs))
  }
  return ae
}

async function periodicExchange(ae: AntiEntropy): Promise<void> {
  if (ae.node.config.antiEntropyIntervalMs <= 0) return
  await ae.ensureRing()
  const target = ae.nextTarget()
  if (target) await exchangeRange(ae, target.rangeIndex, target.peer)
}

export interface RunAntiEntropyOptions {
  /** Only this peer (default: every healthy replica of each range). */
  peer?: NodeId
  /** Only this range index (default: every range the node replicates). */
  rangeIndex?: number
}

/** Runs exchanges now, one range and one peer at a time; resolves with each exchange's stats. */
export async function runAntiEntropy(
  node: DbNode,
  opts: RunAntiEntropyOptions = {},
): Promise<ExchangeStats[]> {
  const ae = node.antiEntropy
  if (!ae) return []
  await ae.ensureRing()
  const ranges = [...ae.index.ranges.keys()].sort((a, b) => a - b)
  const out: ExchangeStats[] = []
  for (const rangeIndex of ranges) {
    if (opts.rangeIndex !== undefined && rangeIndex !== opts.rangeIndex) continue
    for (const peer of ae.peersOf(rangeIndex)) {
      if (opts.peer !== undefined && peer !== opts.peer) continue
      if (node.isStopped) return out
      out.push(await exchangeRange(ae, rangeIndex, peer))
    }
  }
  return out
}

/** Rebuilds every tree with another shape (all nodes must use the same; tests and benchmarks). */
export async function reshapeAntiEntropy(node: DbNode, shape: TreeShapeConfig): Promise<void> {
  node.config = { ...node.config, merkleDepth: shape.depth, merkleArityBits: shape.arityBits }
  await node.antiEntropy?.reindex(shape)
}

export interface MerkleRangeView {
  rangeIndex: number
  startExclusive: string
  endInclusive: string
  replicas: NodeId[]
  keys: number
  /** Leaves waiting to be rehashed before this snapshot. */
  dirtyLeaves: number
  rootHex: string
  /** The first INSPECT_LEVELS_MAX levels, each node's hash as 16 hex chars, root first. */
  levels: string[][]
}

export interface MerkleInspection {
  depth: number
  arityBits: number
  ranges: MerkleRangeView[]
  exchanges: ExchangeStats[]
  totals: AntiEntropy['totals']
}

function hex(words: Uint32Array): string[] {
  const out: string[] = []
  for (let i = 0; i < words.length; i += 2)
    out.push(words[i].toString(16).padStart(8, '0') + words[i + 1].toString(16).padStart(8, '0'))
  return out
}

/** inspect(id).merkle: per-range roots and top levels (rehashed first), and the last exchanges. */
export function inspectAntiEntropy(node: DbNode): MerkleInspection | null {
  const ae = node.antiEntropy
  if (!ae) return null
  const ranges: MerkleRangeView[] = []
  for (const state of [...ae.index.ranges.values()].sort((a, b) => a.rangeIndex - b.rangeIndex)) {
    const dirtyLeaves = state.tree.dirtyLeafCount()
    ae.index.rebuild(state.rangeIndex)
    const levelCount = Math.min(INSPECT_LEVELS_MAX, state.tree.levelCount)
    ranges.push({
      rangeIndex: state.rangeIndex,
      startExclusive: state.range.startExclusive,
      endInclusive: state.range.endInclusive,
      replicas: [...state.range.replicas],
      keys: state.keyCount,
      dirtyLeaves,
      rootHex: state.tree.rootHex(),
      levels: Array.from({ length: levelCount }, (_, l) => hex(state.tree.levelHashes(l))),
    })
  }
  return {
    depth: ae.index.shape.depth,
    arityBits: ae.index.shape.arityBits,
    ranges,
    exchanges: ae.history.slice(-EXCHANGE_HISTORY_MAX),
    totals: { ...ae.totals },
  }
}
