/**
 * The initiator side of one Merkle exchange: compare one range's tree with a peer's top-down, level
 * by level (merkle-req/resp), then swap the rows of the mismatched leaves only, in both directions
 * (merkle-rows-req carries ours, merkle-rows-resp brings the peer's), each side merging under LWW.
 */
import { dbError, toErrorData } from '../errors'
import type { NodeId } from '../ids'
import { compareLevel, type LevelRequest, rootRequest } from '../merkle/merkleDiff'
import { type Message, type MessageBody, messageBytes, PROTOCOL_VERSION } from '../protocol/messages'
import type { AntiEntropy } from './antiEntropy'
import { type ExchangeStats, newStats } from './exchangeStats'

/** Leaves whose rows travel in one merkle-rows-req (bounds message size). */
export const LEAVES_PER_ROWS_MESSAGE_MAX = 64

/** Wire size of a body as the transport would count it. */
function wireBytes(node: AntiEntropy['node'], body: MessageBody): number {
  return messageBytes({ ...body, v: PROTOCOL_VERSION, from: node.id } as Message)
}

async function ask(ae: AntiEntropy, peer: NodeId, body: MessageBody, stats: ExchangeStats): Promise<Message> {
  const node = ae.node
  const { reqId, reply } = node.requests.start(peer, node.config.requestTimeoutMs)
  const sent = { ...body, reqId } as MessageBody
  stats.bytesSent += wireBytes(node, sent)
  node.send(peer, sent)
  const m = await reply
  stats.bytesSent += messageBytes(m)
  if ((m.type === 'merkle-resp' || m.type === 'merkle-rows-resp') && m.error)
    throw dbError(m.error.code, m.error.message, m.error.details)
  return m
}

/** Runs one exchange of range `rangeIndex` with `peer`; never throws (errors land in stats.error). */
export async function exchangeRange(
  ae: AntiEntropy,
  rangeIndex: number,
  peer: NodeId,
): Promise<ExchangeStats> {
  const node = ae.node
  const state = ae.index.ranges.get(rangeIndex)
  const t0 = node.env.clock.nowMs()
  const stats = newStats(peer, rangeIndex, t0, 32 + (state?.bytes ?? 0))
  if (!state) {
    stats.error = `${node.id} keeps no tree for range ${rangeIndex}`
    return stats
  }
  ae.busy.add(rangeIndex)
  try {
    await ae.forgetPurged(rangeIndex)
    stats.fullTransferBytes = 32 + state.bytes
    const shape = ae.shapeWire(state)
    const mismatched: number[] = []
    let request: LevelRequest | null = rootRequest()
    while (request) {
      const m = await ask(ae, peer, { type: 'merkle-req', reqId: 0, rangeIndex, shape, ...request }, stats)
      if (m.type !== 'merkle-resp') throw dbError('INTERNAL', `unexpected ${m.type} to merkle-req`)
      ae.index.rebuild(rangeIndex)
      const round = compareLevel(state.tree, { ...request, hashes: Uint32Array.from(m.hashes) })
      stats.levelsCompared++
      stats.nodesCompared += round.nodesCompared
      mismatched.push(...round.mismatchedLeaves)
      request = round.next
    }
    stats.mismatchedLeaves = mismatched.length
    const keys = new Set<string>()
    for (let i = 0; i < mismatched.length; i += LEAVES_PER_ROWS_MESSAGE_MAX) {
      const leaves = mismatched.slice(i, i + LEAVES_PER_ROWS_MESSAGE_MAX)
      const rows = await ae.rowsOfLeaves(rangeIndex, leaves)
      const body: MessageBody = { type: 'merkle-rows-req', reqId: 0, rangeIndex, shape, leaves, rows }
      const m = await ask(ae, peer, body, stats)
      if (m.type !== 'merkle-rows-resp') throw dbError('INTERNAL', `unexpected ${m.type} to merkle-rows-req`)
      stats.keysSent += rows.length
      stats.keysReceived += m.rows.length
      for (const r of rows) keys.add(r.key)
      for (const r of m.rows) keys.add(r.key)
      const applied = await Promise.all(m.rows.map((r) => node.applyRow(r)))
      stats.keysApplied += applied.filter(Boolean).length
    }
    stats.keysInMismatchedLeaves = keys.size
  } catch (e) {
    stats.error = toErrorData(e).message
  } finally {
    ae.busy.delete(rangeIndex)
    stats.durationMs = node.env.clock.nowMs() - t0
  }
  ae.record(stats)
  return stats
}
