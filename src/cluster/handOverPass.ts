/**
 * One pass of a move, the same for both runtimes: every streaming node counts what it would send,
 * the cluster's rate is shared in proportion (shareRate), then each streams with its share while
 * its acknowledged rows and bytes are reported into the move's progress.
 */
import type { NodeId } from '../core/ids'
import type { HandOffCount, HandOffStats } from '../core/node/handOff'
import { type MoveRecord, shareRate } from './moveProgress'

/** How a runtime reaches one streaming node. */
export interface PassStreamer {
  id: NodeId
  count(): Promise<HandOffCount>
  /** Streams at `bytesPerSec`; `onProgress` gets the rows and bytes acknowledged so far (absolute). */
  stream(bytesPerSec: number, onProgress: (rows: number, bytes: number) => void): Promise<HandOffStats>
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
