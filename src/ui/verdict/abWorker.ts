/**
 * The A/B compare's Web Worker: runs both simulated clusters (sim/abCompare.ts) off the page's main
 * thread, so the page keeps its frames while the ~2 s of simulation run, and posts progress as it goes.
 */
import { toErrorData } from '../../core/errors'
import { runAb } from '../../sim/abCompare'
import { AB_PROTOCOL, type FromAb, type ToAb } from './abProtocol'

function post(m: FromAb): void {
  postMessage(m)
}

self.onmessage = (e: MessageEvent<ToAb>) => {
  const m = e.data
  if (m.t !== 'run') return
  runAb(m.spec, (progress) => post({ v: AB_PROTOCOL, t: 'progress', id: m.id, progress })).then(
    (result) => post({ v: AB_PROTOCOL, t: 'result', id: m.id, result }),
    (err: unknown) => {
      const d = toErrorData(err)
      post({ v: AB_PROTOCOL, t: 'error', id: m.id, code: d.code, message: d.message })
    },
  )
}
