/** The ring's plain-JSON wire form: ring changes are pushed to every node over postMessage. */
import { dbError } from '../errors'
import { parseNodeId } from '../ids'
import { assertPositiveInt, type HashRing, type VNode } from './hashRing'

export interface RingJson {
  version: number
  partitionsPerNode: number
  /** [token, node] pairs sorted by token. */
  vnodes: Array<[string, string]>
}

const TOKEN_RE = /^[0-9a-f]{40}$/

/** Plain JSON (structured-clone and JSON.stringify safe). */
export function ringToJson(ring: HashRing): RingJson {
  return {
    version: ring.version,
    partitionsPerNode: ring.partitionsPerNode,
    vnodes: ring.vnodes.map((v) => [v.token, v.node]),
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
  return Object.freeze({
    version: json.version as number,
    partitionsPerNode: json.partitionsPerNode as number,
    vnodes: Object.freeze(vnodes),
  })
}
