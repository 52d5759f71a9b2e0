/**
 * A Disk wrapper for tests: records every commit's ops, can fail chosen commits, and can be fenced so
 * a "crashed" engine object can no longer reach the disk while a fresh one reopens it.
 */
import type { Disk, DiskEntry, DiskKey, DiskOp, DiskRange, DiskStore } from '../disk/disk'

export class DiskProbe implements Disk {
  readonly inner: Disk
  readonly commits: DiskOp[][] = []
  /** Throw this from the next commit (once), before it reaches the inner disk. */
  failNextCommit: unknown = undefined
  fenced = false
  /** Reads (get and getRange calls) that reached the disk. */
  reads = 0

  constructor(inner: Disk) {
    this.inner = inner
  }

  get name(): string {
    return this.inner.name
  }

  async get(store: DiskStore, key: DiskKey): Promise<unknown | undefined> {
    this.checkFence()
    this.reads++
    return this.inner.get(store, key)
  }

  async getRange(store: DiskStore, range?: DiskRange): Promise<DiskEntry[]> {
    this.checkFence()
    this.reads++
    return this.inner.getRange(store, range)
  }

  async commit(ops: readonly DiskOp[]): Promise<void> {
    this.checkFence()
    if (this.failNextCommit !== undefined) {
      const e = this.failNextCommit
      this.failNextCommit = undefined
      throw e
    }
    this.commits.push([...ops])
    await this.inner.commit(ops)
  }

  close(): void {}

  destroy(): Promise<void> {
    return this.inner.destroy()
  }

  private checkFence(): void {
    if (this.fenced) throw new Error('disk fenced: this engine instance has crashed')
  }
}
