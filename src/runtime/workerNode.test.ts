import { describe, expect, it } from 'vitest'
import { bounded, killSwitch } from './workerNode'

describe('bounded (every boot step of a worker node)', () => {
  it('passes the answer through when the worker answers in time', async () => {
    await expect(bounded(Promise.resolve(7), 1000, 'x', killSwitch().promise)).resolves.toBe(7)
  })

  it('a worker that never answers is a coded TIMEOUT, not a hang', async () => {
    const never = new Promise<number>(() => {})
    await expect(bounded(never, 20, 'node_2: connect to node_1', killSwitch().promise)).rejects.toMatchObject(
      {
        code: 'TIMEOUT',
        message: expect.stringContaining('node_2: connect to node_1 did not answer within 20 ms'),
      },
    )
  })

  it('a kill ends the wait at once with the kill switch reason', async () => {
    const k = killSwitch()
    const waiting = bounded(new Promise<number>(() => {}), 60_000, 'x', k.promise)
    k.reject(Object.assign(new Error('killed'), { code: 'NODE_DOWN' }))
    await expect(waiting).rejects.toMatchObject({ code: 'NODE_DOWN' })
  })
})
