/**
 * The peer side of a Merkle exchange: answers a level's hashes, and for mismatched leaves merges
 * the initiator's rows and sends back only its own rows the initiator lacks or holds older.
 */
import { dbError, toErrorData } from '../errors'
import { answerLevel } from '../merkle/merkleDiff'
import type { Message, RowVersion } from '../protocol/messages'
import type { AntiEntropy } from './antiEntropy'

type MerkleReq = Extract<Message, { type: 'merkle-req' }>
type RowsReq = Extract<Message, { type: 'merkle-rows-req' }>

function stateFor(ae: AntiEntropy, m: MerkleReq | RowsReq) {
  const state = ae.index.ranges.get(m.rangeIndex)
  if (!state) throw dbError('NOT_OWNER', `${ae.node.id} keeps no tree for range ${m.rangeIndex}`)
  if (!ae.sameShape(state, m.shape))
    throw dbError('BAD_INPUT', `merkle shape of range ${m.rangeIndex} differs on ${ae.node.id}`)
  return state
}

/** Answers one level of the initiator's top-down comparison. */
export function onMerkleReq(ae: AntiEntropy, m: MerkleReq): void {
  try {
    stateFor(ae, m)
    ae.index.rebuild(m.rangeIndex)
    const reply = answerLevel(ae.index.ranges.get(m.rangeIndex)!.tree, { level: m.level, indices: m.indices })
    ae.node.send(m.from, {
      type: 'merkle-resp',
      reqId: m.reqId,
      rangeIndex: m.rangeIndex,
      level: m.level,
      hashes: Array.from(reply.hashes),
    })
  } catch (e) {
    const error = toErrorData(e)
    ae.node.send(m.from, {
      type: 'merkle-resp',
      reqId: m.reqId,
      rangeIndex: m.rangeIndex,
      level: m.level,
      hashes: [],
      error,
    })
  }
}

/** Swaps rows of mismatched leaves: ours (read before merging) that the initiator lacks, then merges theirs. */
export async function onRowsReq(ae: AntiEntropy, m: RowsReq): Promise<void> {
  try {
    const state = stateFor(ae, m)
    const leaves = m.leaves.filter((l) => Number.isInteger(l) && l >= 0 && l < state.tree.leafCount)
    const mine = await ae.rowsOfLeaves(m.rangeIndex, leaves)
    const theirs = new Map(m.rows.map((r) => [r.key, r]))
    const back: RowVersion[] = mine.filter((r) => {
      const t = theirs.get(r.key)
      return ae.node.conflict.behind(r.key, t ?? null, r)
    })
    const inRange = m.rows.filter((r) => ae.index.rangeOf(r.key) === m.rangeIndex)
    await Promise.all(inRange.map((r) => ae.node.applyRow(r)))
    ae.node.send(m.from, { type: 'merkle-rows-resp', reqId: m.reqId, rows: back })
  } catch (e) {
    ae.node.send(m.from, { type: 'merkle-rows-resp', reqId: m.reqId, rows: [], error: toErrorData(e) })
  }
}
