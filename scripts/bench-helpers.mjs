// Helpers shared by the benchmark scripts: a free local port, and calls into a worker's own CDP
// target (workers are separate targets; Playwright exposes them only through the browser session).
import { createServer as createNetServer } from 'node:net'

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createNetServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

/**
 * A `call(sessionId, method, params)` that sends a CDP command to an attached worker target over a
 * browser CDP session (attachToTarget with flatten: false) and resolves with its result.
 */
export function targetCaller(cdp) {
  let id = 0
  return (sessionId, method, params) =>
    new Promise((res) => {
      const myId = ++id
      const onMessage = (e) => {
        if (e.sessionId !== sessionId) return
        const msg = JSON.parse(e.message)
        if (msg.id !== myId) return
        cdp.off('Target.receivedMessageFromTarget', onMessage)
        res(msg.result)
      }
      cdp.on('Target.receivedMessageFromTarget', onMessage)
      cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: myId, method, params }),
      })
    })
}
