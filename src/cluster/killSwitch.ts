/**
 * One per node incarnation: every client call waiting on that incarnation races its promise, and a
 * kill rejects it, so no call outlives the node that was serving it (a killed coordinator's pending
 * group commit never completes).
 */
export interface KillSwitch {
  promise: Promise<never>
  reject: (e: unknown) => void
}

export function killSwitch(): KillSwitch {
  let reject: (e: unknown) => void = () => {}
  const promise = new Promise<never>((_, r) => {
    reject = r
  })
  promise.catch(() => {})
  return { promise, reject }
}
