/**
 * Who moves virtual time. Client operations, settle, runFor, single steps and the page's real-time
 * clock all advance the same Simulator, so they take turns: one time-advancing loop at a time. A
 * client operation drives time itself (autoDrive, the default in Node) or, when something else moves
 * time (the page's clock, a test calling runFor), only waits for its promise.
 */
import type { Simulator } from './simulator'

const CLIENT_OP_MAX_MS = 120_000

export class TimeDriver {
  /** Client operations advance virtual time themselves when true. */
  autoDrive = true
  /** True while a loop is advancing virtual time. */
  running = false
  private driving = 0
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly sim: Simulator,
    private readonly afterLoop: () => void,
  ) {}

  /** Resolves with `p`, advancing virtual time until it settles when autoDrive is on. */
  async drive<T>(p: Promise<T>): Promise<T> {
    let settled = false
    this.driving++
    const tracked = p.finally(() => {
      settled = true
      this.driving--
    })
    tracked.catch(() => {})
    await this.sim.settleMicrotasks()
    while (!settled && this.autoDrive) {
      await this.loop(() => this.sim.runUntil(() => this.driving === 0, CLIENT_OP_MAX_MS))
      if (!settled && this.sim.pending === 0) break
    }
    return tracked
  }

  /** Runs `fn` as the only time-advancing loop, after the ones queued before it. */
  loop<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      this.running = true
      try {
        return await fn()
      } finally {
        this.running = false
        this.afterLoop()
      }
    })
    this.chain = run.catch(() => {})
    return run
  }
}
