/** The setup form's values → ClusterOptions, with inline validation through resolveOptions. */
import { resolveOptions } from '../../cluster/options'
import type { ClusterOptions, RuntimeKind } from '../../cluster/types'
import type { ConsistencyMode, CrdtType } from '../../core/conflict/types'
import { toErrorData } from '../../core/errors'
import type { ConsistencyLevel } from '../../core/quorum/consistency'
import { type TopologyKind, topologyFor } from '../model/topologyText'
import { PAGE_HINT_REPLAY_BYTES_PER_SEC, PAGE_MEMTABLE_BYTES } from '../pageDefaults'

export interface SetupValues {
  runtime: RuntimeKind
  numNodes: string
  replicationFactor: string
  writeQuorum: string
  readQuorum: string
  consistency: ConsistencyLevel | ''
  sloppyQuorum: boolean
  topologyKind: TopologyKind
  topologyText: string
  antiEntropyIntervalMs: string
  seed: string
  /** How concurrent writes resolve ('lww' default). */
  consistencyMode: ConsistencyMode
  /** 'crdt' mode: `key:type` pairs, comma-separated (`likes:gcounter, tags:orset`). */
  crdtConfigText: string
  /** 'vector' mode: siblings per key at most (empty: 16). */
  siblingsMax: string
  partitionStrategy: 'ring' | 'hash' | 'range'
  /** Hash strategy: partitions (blank = 128). */
  numPartitions: string
  /** Range strategy: boundaries between ranges, comma-separated ("g, n, t" = 4 ranges). */
  rangeBoundaries: string
  /** Bytes/s for data movements (blank = unlimited). */
  maxTransferRate: string
}

export type SetupField = keyof SetupValues | 'form'

export const DEFAULT_SETUP: SetupValues = {
  runtime: 'worker',
  numNodes: '5',
  replicationFactor: '3',
  writeQuorum: '',
  readQuorum: '',
  consistency: '',
  sloppyQuorum: true,
  topologyKind: 'all-to-all',
  topologyText: '0:1,2; 1:2; 2:0',
  antiEntropyIntervalMs: '',
  seed: '1',
  consistencyMode: 'lww',
  crdtConfigText: 'likes:gcounter, stock:pncounter, tags:orset',
  siblingsMax: '',
  partitionStrategy: 'ring',
  numPartitions: '',
  rangeBoundaries: 'g, n, t',
  maxTransferRate: '',
}

/** `likes:gcounter, tags:orset` → { likes: 'gcounter', tags: 'orset' } (types are checked by resolveOptions). */
export function parseCrdtConfig(text: string): Record<string, CrdtType> {
  const out: Record<string, CrdtType> = {}
  for (const part of text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([^:\s]+)\s*:\s*([a-z]+)$/.exec(part)
    if (!m) throw new Error(`crdtConfig: "${part}" is not key:type (like likes:gcounter)`)
    out[m[1]] = m[2] as CrdtType
  }
  return out
}

/**
 * Range boundaries "g, n, t" → keyRanges [['', 'g'], ['g', 'n'], ['n', 't'], ['t', null]]: the first
 * range starts at the empty key, so every key has a range.
 */
export function keyRangesOf(text: string): Array<[string, string | null]> {
  const cuts = text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
  const starts = ['', ...cuts]
  return starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] : null])
}

function num(v: string): number | undefined {
  return v.trim() === '' ? undefined : Number(v)
}

/** Builds options; returns the field-scoped error message when invalid. */
export function buildOptions(
  v: SetupValues,
):
  | { options: ClusterOptions; error: null }
  | { options: null; error: { field: SetupField; message: string } } {
  const n = num(v.numNodes) ?? Number.NaN
  let topology: ClusterOptions['topology']
  try {
    topology = topologyFor(v.topologyKind, Number.isInteger(n) ? n : 0, v.topologyText)
  } catch (e) {
    return { options: null, error: { field: 'topologyText', message: (e as Error).message } }
  }
  let crdtConfig: ClusterOptions['crdtConfig']
  try {
    crdtConfig = v.consistencyMode === 'crdt' ? parseCrdtConfig(v.crdtConfigText) : undefined
  } catch (e) {
    return { options: null, error: { field: 'crdtConfigText', message: (e as Error).message } }
  }
  const options: ClusterOptions = {
    runtime: v.runtime,
    consistencyMode: v.consistencyMode === 'lww' ? undefined : v.consistencyMode,
    crdtConfig,
    siblingsMax: v.consistencyMode === 'vector' ? num(v.siblingsMax) : undefined,
    numNodes: n,
    replicationFactor: num(v.replicationFactor),
    writeQuorum: num(v.writeQuorum),
    readQuorum: num(v.readQuorum),
    consistency: v.consistency || undefined,
    sloppyQuorum: v.sloppyQuorum,
    topology,
    antiEntropyIntervalMs: num(v.antiEntropyIntervalMs),
    seed: num(v.seed),
    partitionStrategy: v.partitionStrategy === 'ring' ? undefined : v.partitionStrategy,
    numPartitions: v.partitionStrategy === 'hash' ? num(v.numPartitions) : undefined,
    keyRanges: v.partitionStrategy === 'range' ? keyRangesOf(v.rangeBoundaries) : undefined,
    maxTransferRate: num(v.maxTransferRate),
    // The page's small memtable and slow hint replay (pageDefaults.ts): flushes, compactions and hint
    // drains are visible.
    memtableBytesMax: PAGE_MEMTABLE_BYTES,
    hintReplayBytesPerSec: PAGE_HINT_REPLAY_BYTES_PER_SEC,
  }
  for (const k of Object.keys(options) as Array<keyof ClusterOptions>)
    if (options[k] === undefined) delete options[k]
  try {
    resolveOptions(options)
    return { options, error: null }
  } catch (e) {
    const d = toErrorData(e)
    return { options: null, error: { field: fieldOf(d.message), message: `${d.code}: ${d.message}` } }
  }
}

const FIELDS: Array<[RegExp, SetupField]> = [
  [/^numNodes/, 'numNodes'],
  [/^replicationFactor/, 'replicationFactor'],
  [/^writeQuorum/, 'writeQuorum'],
  [/^readQuorum/, 'readQuorum'],
  [/^consistencyMode/, 'consistencyMode'],
  [/^crdtConfig/, 'crdtConfigText'],
  [/^siblingsMax/, 'siblingsMax'],
  [/consistency/, 'consistency'],
  [/^topology/, 'topologyText'],
  [/^antiEntropy/, 'antiEntropyIntervalMs'],
  [/^seed/, 'seed'],
  [/keyRanges/, 'rangeBoundaries'],
  [/numPartitions/, 'numPartitions'],
  [/maxTransferRate/, 'maxTransferRate'],
  [/partitionStrategy/, 'partitionStrategy'],
]

/** Which form field an options error message is about. */
export function fieldOf(message: string): SetupField {
  for (const [re, f] of FIELDS) if (re.test(message)) return f
  return 'form'
}
