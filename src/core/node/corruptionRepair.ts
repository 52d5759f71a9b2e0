/**
 * Recovering the rows of a storage block found corrupt (checksum or shape). The engine quarantines
 * the block and reports it here. Until its rows are recovered, this node refuses to answer for keys
 * the block may have held (STORAGE_CORRUPT, so a coordinator asks another replica rather than get an
 * older version from a deeper level). Recovery: the Merkle index is made to match what storage now
 * serves for those keys (the quarantined rows are gone from it, so the leaves differ from the
 * peers'), then an anti-entropy exchange with every healthy replica brings the rows back.
 */
import { runAntiEntropy } from '../antiEntropy/install'
import { dbError } from '../errors'
import { type CorruptBlock, corruptBlockHolds } from '../storage/tableReader'
import type { DbNode } from './dbNode'

/** Delay between recovery attempts while no replica could be reached. */
const RETRY_MS = 1000

export class CorruptionRepair {
  /** Blocks whose rows are not recovered yet. */
  private readonly suspect: CorruptBlock[] = []
  private running = false
  private scheduled = false
  recovered = 0

  constructor(private readonly node: DbNode) {}

  /** The engine's corruption hook. */
  onCorrupt(c: CorruptBlock): void {
    this.suspect.push(c)
    this.node.stats.corruptBlocks++
    this.node.emit({
      type: 'storage-corrupt',
      key: c.firstKey,
      detail: `block ${c.tableId}/${c.blockNo}: ${c.problem}; quarantined, recovering its rows from peers`,
    })
    this.schedule(0)
  }

  /** Reports what the engine's open found (a dropped torn WAL tail). */
  afterOpen(): void {
    const { walTailDropped } = this.node.engine.inspect().corruption
    if (walTailDropped > 0)
      this.node.emit({
        type: 'storage-corrupt',
        detail:
          'the last WAL record was unreadable (a torn tail) and was dropped; anti-entropy restores its rows',
      })
  }

  /** Throws STORAGE_CORRUPT when `key` may have been in a block whose rows are being recovered. */
  check(key: string): void {
    for (const c of this.suspect)
      if (corruptBlockHolds(c, key))
        throw dbError(
          'STORAGE_CORRUPT',
          `${this.node.id}: ${key} was in corrupt block ${c.tableId}/${c.blockNo}; recovering from peers`,
          { reason: 'recovering', tableId: c.tableId, blockNo: c.blockNo },
        )
  }

  get pending(): number {
    return this.suspect.length
  }

  private schedule(delayMs: number): void {
    if (this.scheduled || this.node.isStopped) return
    this.scheduled = true
    this.node.env.timers.set(delayMs, () => {
      this.scheduled = false
      void this.run()
    })
  }

  private async run(): Promise<void> {
    const ae = this.node.antiEntropy
    if (this.running || this.node.isStopped || this.suspect.length === 0) return
    if (!ae) return this.schedule(RETRY_MS) // still opening: the index is built from a scan
    this.running = true
    const batch = [...this.suspect]
    try {
      await ae.ensureRing()
      await ae.retrack((key) => batch.some((c) => corruptBlockHolds(c, key)))
      const stats = await runAntiEntropy(this.node)
      // Recovered when every range this node replicates with someone else exchanged with a replica.
      const ranges = [...ae.index.ranges.values()].filter((s) => s.range.replicas.length > 1)
      const done = ranges.every((s) => stats.some((x) => x.rangeIndex === s.rangeIndex && !x.error))
      if (!done) return
      for (const c of batch) this.suspect.splice(this.suspect.indexOf(c), 1)
      this.recovered += batch.length
      this.node.emit({
        type: 'storage-corrupt',
        detail: `rows of ${batch.length} corrupt block(s) recovered from peers`,
      })
    } finally {
      this.running = false
      if (this.suspect.length > 0) this.schedule(RETRY_MS)
    }
  }
}
