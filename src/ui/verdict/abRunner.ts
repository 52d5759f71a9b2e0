/**
 * Runs an A/B compare in its own Web Worker (abWorker.ts), with progress; where workers are not
 * available, on the page's thread (the same code, the frames then pay for it).
 */
import { dbError } from '../../core/errors'
import { type AbProgress, type AbResult, type AbSpec, runAb } from '../../sim/abCompare'
import { AB_PROTOCOL, type FromAb } from './abProtocol'

let worker: Worker | null = null
let seq = 0

function ensureWorker(): Worker | null {
  if (worker) return worker
  if (typeof Worker === 'undefined') return null
  try {
    worker = new Worker(new URL('./abWorker.ts', import.meta.url), { type: 'module', name: 'ab-compare' })
  } catch {
    worker = null
  }
  return worker
}

/** Both sides of `spec`, `onProgress` called as each side advances; `where` says which thread ran it. */
export function runAbOffThread(
  spec: AbSpec,
  onProgress: (p: AbProgress) => void,
): { where: 'worker' | 'page'; done: Promise<[AbResult, AbResult]> } {
  const w = ensureWorker()
  if (!w) return { where: 'page', done: runAb(spec, onProgress) }
  const id = ++seq
  const done = new Promise<[AbResult, AbResult]>((resolve, reject) => {
    const onMessage = (e: MessageEvent<FromAb>) => {
      const m = e.data
      if (m.id !== id) return
      if (m.t === 'progress') {
        onProgress(m.progress)
        return
      }
      w.removeEventListener('message', onMessage)
      w.removeEventListener('error', onError)
      if (m.t === 'result') resolve(m.result)
      else reject(dbError(m.code as never, m.message))
    }
    const onError = (e: ErrorEvent) => {
      w.removeEventListener('message', onMessage)
      w.removeEventListener('error', onError)
      worker = null
      reject(dbError('INTERNAL', `A/B worker failed: ${e.message}`))
    }
    w.addEventListener('message', onMessage)
    w.addEventListener('error', onError)
    w.postMessage({ v: AB_PROTOCOL, t: 'run', id, spec })
  })
  return { where: 'worker', done }
}
