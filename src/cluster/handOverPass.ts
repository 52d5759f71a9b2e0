/**
 * One pass of a move, the same for both runtimes: every streaming node counts what it would send,
 * the cluster's rate is shared in proportion (shareRate), then each streams with its share while
 * its acknowledged rows and bytes are reported into the move's progress.
 */
import type { NodeId } from '../core/ids'
import type { HandOffCount, HandOffStats } from '../core/node/handOff'
import type { HandOverLedger, Layout } from './handOverLedger'
import { type MoveRecord, shareRate } from './moveProgress'

/** How a runtime reaches one streaming node. */
export interface PassStreamer {
  id: NodeId
  count(): Promise<HandOffCount>
  /** Streams at `bytesPerSec`; `onProgress` gets the rows and bytes acknowledged so far (absolute). */
  stream(bytesPerSec: number, onProgress: (rows: number, bytes: number) => void): Promise<HandOffStats>
}

/** Per-batch (rows, bytes), as handOff.ts onSent gives them, into totals so far for `onProgress`. */
export function accumulate(
  onProgress: (rows: number, bytes: number) => void,
): (rows: number, bytes: number) => void {
  let rowsDone = 0
  let bytesDone = 0
  return (rows, bytes) => {
    rowsDone += rows
    bytesDone += bytes
    onProgress(rowsDone, bytesDone)
  }
}

export async function runHandOverPass(
  move: MoveRecord,
  bytesPerSec: number,
  nodes: readonly PassStreamer[],
): Promise<HandOffStats[]> {
  const counts = await Promise.all(nodes.map((x) => x.count()))
  const rates = shareRate(
    bytesPerSec,
    counts.map((c) => c.bytes),
  )
  move.beginPass(nodes.map((x, i) => ({ node: x.id, ...counts[i], bytesPerSec: rates[i] })))
  return Promise.all(
    nodes.map(async (x, i) => {
      const stats = await x.stream(rates[i], (rows, bytes) => move.progress(x.id, rows, bytes))
      move.progress(x.id, stats.rowsSent, stats.bytesSent)
      return stats
    }),
  )
}

/** How a runtime counts what a node owes the ledger: its rows from layout `from` to `to`. */
export type LedgerCount = (id: NodeId, from: Layout, to: Layout) => Promise<HandOffCount>

/**
 * A move's catch-up pass (after its map is published), through the hand-over ledger: every node in
 * `ids` whose rows are laid out by an older map counts what it owes, then makes its first ledger
 * attempt with its share of the rate while its progress goes into `move`. Failures retry in the
 * background (the ledger) and never reject here. A node already paying (a change just before, a
 * restart) keeps its running round, which streams to the published map too, and is not counted.
 */
export async function runCatchUpPass(
  move: MoveRecord,
  bytesPerSec: number,
  ledger: HandOverLedger,
  to: Layout,
  ids: readonly NodeId[],
  count: LedgerCount,
): Promise<void> {
  const streamers = ids
    .filter((id) => ledger.owes(id) && !ledger.busy(id))
    .map(
      (id): PassStreamer => ({
        id,
        count: () => {
          const from = ledger.layoutOf(id)
          // A count that fails (a failing disk) counts nothing; the attempt itself reports what it sent.
          const none: HandOffCount = { rows: 0, bytes: 0 }
          return from ? count(id, from, to).catch(() => none) : Promise.resolve(none)
        },
        stream: async (rate, onProgress) => {
          let rowsSent = 0
          let bytesSent = 0
          await ledger.pay(id, {
            once: true,
            first: {
              bytesPerSec: rate,
              onProgress: (rows, bytes) => {
                rowsSent = rows
                bytesSent = bytes
                onProgress(rows, bytes)
              },
            },
          })
          return { rowsScanned: 0, rowsSent, bytesSent, byTarget: {} }
        },
      }),
    )
  await runHandOverPass(move, bytesPerSec, streamers)
}
