/**
 * The live checker's Web Worker: it owns the IncrementalChecker, takes batches of history events,
 * and posts the verdict back at most every VERDICT_EVERY_MS, so checking never costs the page a frame.
 */
import { IncrementalChecker } from '../../core/checker/incremental'
import { toErrorData } from '../../core/errors'
import { CHECKER_PROTOCOL, type FromChecker, type ToChecker } from './checkerProtocol'

const VERDICT_EVERY_MS = 250
/** Ops kept per key: 100 checks 12k–22k ops/s (200: 3k–12k; ARCHITECTURE, live checker). */
const KEY_OPS_MAX = 100
/** A changed key is searched for a linearization at most once a second (4 verdicts). */
const SEARCH_EVERY_VERDICTS = 4
/**
 * States one search may explore (the batch default is 200,000): a hot key with dozens of overlapping
 * ops would otherwise cost the worker seconds per search; past it the key is 'unknown', said so.
 */
const SEARCH_STATES_MAX = 2000

let checker: IncrementalChecker | null = null
let timer: ReturnType<typeof setTimeout> | null = null

function post(m: FromChecker): void {
  postMessage(m)
}

function postVerdict(): void {
  timer = null
  if (!checker) return
  const t0 = performance.now()
  const verdict = checker.verdict()
  post({ v: CHECKER_PROTOCOL, t: 'verdict', verdict, busyMs: performance.now() - t0 })
  // Searches held back by the throttle still run when the history stops growing.
  if (checker.searchesDue > 0) soon()
}

function soon(): void {
  if (timer === null) timer = setTimeout(postVerdict, VERDICT_EVERY_MS)
}

function handle(m: ToChecker): void {
  switch (m.t) {
    case 'reset':
      checker = new IncrementalChecker(m.config, {
        keyOpsMax: KEY_OPS_MAX,
        searchEveryFlushes: SEARCH_EVERY_VERDICTS,
        linearizability: { maxStates: SEARCH_STATES_MAX },
      })
      postVerdict()
      return
    case 'events':
      if (!checker) return
      for (const n of m.sampling?.every ?? []) checker.noteSampling(n, m.sampling?.lost)
      for (const f of m.faults) checker.noteFaults(f)
      checker.add(m.ops)
      checker.addCrdt(m.crdt)
      soon()
      return
    case 'final': {
      if (!checker) return
      const holders = m.holders
      const anomalies = checker.finalCheck({
        finalValues: new Map(m.finalValues),
        replicas: m.replicas,
        holdersOf: (key) => holders[key] ?? Object.keys(m.replicas),
        crdtFinals: new Map(m.crdtFinals),
        time: m.time,
      })
      post({ v: CHECKER_PROTOCOL, t: 'final-done', id: m.id, anomalies })
      postVerdict()
      return
    }
    default: {
      const never: never = m
      throw new Error(`unknown checker message ${JSON.stringify(never)}`)
    }
  }
}

self.onmessage = (e: MessageEvent<ToChecker>) => {
  try {
    handle(e.data)
  } catch (err) {
    const d = toErrorData(err)
    post({ v: CHECKER_PROTOCOL, t: 'error', code: d.code, message: d.message })
  }
}
