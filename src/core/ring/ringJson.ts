/** The ring's plain-JSON wire form: ring changes are pushed to every node over postMessage. */
import { dbError } from '../errors'
import { parseNodeId } from '../ids'
import { assertPositiveInt, type HashRing, type VNode } from './hashRing'
import type { Placement } from './tokens'

export interface RingJson {
  version: number
  partitionsPerNode: number
  /** [token, node] pairs sorted by token. */
  vnodes: Array<[string, string]>
  /** Hash or range placement (absent: the consistent-hash ring). */
  placement?: Placement
}

const TOKEN_RE = /^[0-9a-f]{40}$/

/** Plain JSON (structured-clone and JSON.stringify safe). */
export function ringToJson(ring: HashRing): RingJson {
  return {
    version: ring.version,
    partitionsPerNode: ring.partitionsPerNode,
    vnodes: ring.vnodes.map((v) => [v.token, v.node]),
    ...(ring.placement && ring.placement.kind !== 'ring' ? { placement: ring.placement } : {}),
  }
}

function bad(message: string): never {
  throw dbError('BAD_INPUT', `ringFromJson: ${message}`)
}

/** Validates untrusted JSON and rebuilds the immutable ring (BAD_INPUT when malformed). */
export function ringFromJson(raw: unknown): HashRing {
  if (typeof raw !== 'object' || raw === null) bad('not an object')
  const json = raw as Partial<RingJson>
  if (!Number.isInteger(json.version) || (json.version as number) < 0) bad('version must be an integer >= 0')
  assertPositiveInt('partitionsPerNode', json.partitionsPerNode as number)
  if (!Array.isArray(json.vnodes)) bad('vnodes must be an array')
  const vnodes: VNode[] = json.vnodes.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) bad(`vnodes[${i}] is not a [token, node] pair`)
    const [token, node] = pair
    if (typeof token !== 'string' || !TOKEN_RE.test(token)) bad(`vnodes[${i}] token is not 40 hex chars`)
    if (i > 0 && token <= json.vnodes![i - 1][0]) bad(`vnodes[${i}] tokens are not strictly ascending`)
    return Object.freeze({ token, node: parseNodeId(node) })
  })
  const placement =
    json.placement === undefined ? undefined : placementFromJson(json.placement, vnodes.length)
  return Object.freeze({
    version: json.version as number,
    partitionsPerNode: json.partitionsPerNode as number,
    vnodes: Object.freeze(vnodes),
    ...(placement ? { placement } : {}),
  })
}

function placementFromJson(raw: unknown, vnodeCount: number): Placement | undefined {
  if (typeof raw !== 'object' || raw === null) bad('placement is not an object')
  const p = raw as { kind?: unknown; partitions?: unknown; splits?: unknown; starts?: unknown; end?: unknown }
  if (p.kind === 'ring') return undefined
  if (p.kind === 'hash') {
    const splits = p.splits ?? []
    if (!Array.isArray(splits)) bad('hash placement: splits must be an array')
    const base = p.partitions as number
    if (!Number.isInteger(base) || base < 1 || base + splits.length !== vnodeCount)
      bad('hash placement: partitions plus splits must equal the vnode count')
    splits.forEach((x, k) => {
      if (!Number.isInteger(x) || x < 0 || x >= base + k)
        bad(`hash placement: splits[${k}] must name an earlier partition`)
    })
    return Object.freeze({
      kind: 'hash',
      partitions: base,
      ...(splits.length > 0 ? { splits: Object.freeze([...(splits as number[])]) } : {}),
    })
  }
  if (p.kind === 'range') {
    if (
      !Array.isArray(p.starts) ||
      p.starts.length !== vnodeCount ||
      p.starts.some((x) => typeof x !== 'string')
    )
      bad('range placement: starts must be one string per vnode')
    const starts = p.starts as string[]
    for (let i = 1; i < starts.length; i++)
      if (starts[i] <= starts[i - 1]) bad('range placement: starts not ascending')
    if (p.end !== null && (typeof p.end !== 'string' || p.end <= starts[starts.length - 1]))
      bad('range placement: end must be null or after the last start')
    return Object.freeze({ kind: 'range', starts: Object.freeze([...starts]), end: p.end as string | null })
  }
  bad(`unknown placement kind ${JSON.stringify(p.kind)}`)
}
