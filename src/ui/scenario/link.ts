/**
 * Scenarios in and out of the page: "Copy link" (#s=… in the URL fragment: nothing leaves the
 * browser), opening a link on load, export and import as a JSON file. A bad document never reaches a
 * cluster: the page says why (its code and a human message) and keeps the cluster it has.
 */
import type { Cluster, ClusterOptions } from '../../cluster/types'
import { toErrorData } from '../../core/errors'
import type { WorkloadSpec } from '../../core/workload/generator'
import { applyStep } from '../../scenario/apply'
import {
  clusterOptionsOf,
  decodeFragment,
  encodeFragment,
  fragmentPayload,
  type Parsed,
  parseScenarioJson,
  scenarioToJson,
} from '../../scenario/codec'
import {
  divergenceText,
  firstDivergence,
  type StepResult,
  simStepResults,
  stepResultOf,
} from '../../scenario/divergence'
import { outcomeTap } from '../../scenario/outcomes'
import type { ScenarioDoc } from '../../scenario/schema'
import { replaceCluster } from '../playground'
import { useStore } from '../store/store'
import { showReplay, snapshotDoc } from './session'

/** Worker replays never open the page's stored databases. */
const WORKER_REPLAY_DB_PREFIX = 'distdb-scenario'

function refusal(p: Extract<Parsed, { ok: false }>, what: string): string {
  return `${p.error.code}: ${p.error.message} ${what}`
}

/**
 * Opens the scenario a location hash carries (#s=…): true when its cluster is up. A bad one pushes
 * a coded notice and returns false (the caller starts the default cluster); nothing stored is touched.
 */
export async function openLinkedScenario(hash: string, notices: string[]): Promise<boolean> {
  const payload = fragmentPayload(hash)
  if (payload === null) return false
  const parsed = await decodeFragment(payload)
  if (!parsed.ok) {
    notices.push(refusal(parsed, 'The default cluster runs instead.'))
    return false
  }
  try {
    await openScenario(parsed.doc, 'link')
    return true
  } catch (e) {
    const d = toErrorData(e)
    notices.push(
      `The linked scenario could not start (${d.code}: ${d.message}); the default cluster runs instead.`,
    )
    return false
  }
}

/** Plays a narrated document (a tour): registered by the tours engine. */
type NarratedPlayer = (doc: ScenarioDoc) => Promise<void>
let narrated: NarratedPlayer | null = null
export function registerNarratedPlayer(fn: NarratedPlayer): void {
  narrated = fn
}

/**
 * Replays a checked document: exactly on the simulator; on real workers, the same schedule. A
 * document with a narration is a tour: the tours engine plays it with its panel open.
 */
export async function openScenario(doc: ScenarioDoc, from: 'link' | 'file'): Promise<void> {
  if (doc.narration && narrated) {
    await narrated(doc)
    return
  }
  if (doc.runtime === 'sim') {
    await showReplay(doc, from)
    return
  }
  const options: ClusterOptions = {
    ...clusterOptionsOf(doc, 'worker'),
    persist: false,
    dbPrefix: WORKER_REPLAY_DB_PREFIX,
  }
  const cluster = await replaceCluster(options)
  scheduleRealTime(cluster, doc)
  useStore.getState().setScenario({
    replayOf: from,
    note: 'Not bit-exact: the same schedule on real workers and timers. The simulator replays exactly.',
  })
}

/**
 * Worker runtime: each step at its time after now, on real timers (not bit-exact). Each step's
 * outcome is compared with a simulator replay of the same document, run beside it in the page; the
 * scenario bar shows the first step where the two differ.
 */
function scheduleRealTime(cluster: Cluster, doc: ScenarioDoc): void {
  const generation = useStore.getState().generation
  const live = () => useStore.getState().generation === generation
  const worker: (StepResult | undefined)[] = new Array(doc.steps.length)
  let sim: StepResult[] | null = null
  const publish = () => {
    if (!live() || !sim || doc.steps.length === 0) return
    const d = firstDivergence(sim, worker)
    useStore.getState().setScenario({
      divergence: {
        state: d.state,
        text: divergenceText(d, doc),
        step: d.state === 'diverged' ? d.index + 1 : null,
      },
    })
  }
  if (doc.steps.length > 0) {
    useStore.getState().setScenario({
      divergence: {
        state: 'pending',
        text: 'Replaying the same document on the simulator to compare…',
        step: null,
      },
    })
    void simStepResults(doc).then(
      (r) => {
        sim = r.results
        publish()
      },
      (e: unknown) => {
        if (live())
          useStore.getState().setScenario({
            divergence: {
              state: 'pending',
              text: `No simulator replay to compare with (${toErrorData(e).message}).`,
              step: null,
            },
          })
      },
    )
  }
  if (doc.workload) void cluster.startWorkload?.(doc.workload as WorkloadSpec).catch(() => {})
  for (const [i, step] of doc.steps.entries())
    setTimeout(() => {
      if (!live()) return
      const tapped = outcomeTap(cluster, (o) => {
        worker[i] = stepResultOf(o)
        publish()
      })
      void applyStep(tapped, step).done.then((r) => {
        // time.step and calls the tap does not see still settle the step
        if (worker[i] === undefined) {
          worker[i] = r.ok ? { ok: true } : { ok: false, errorCode: r.error.code }
          publish()
        }
      })
    }, step.at)
}

/** Copies a link to the run so far (and puts it in the address bar, so a reload replays it). */
export async function copyLink(): Promise<string | null> {
  const snap = await snapshotDoc()
  if (!snap) return null
  const fragment = await encodeFragment(snap.doc)
  const url = `${window.location.origin}${window.location.pathname}${window.location.search}${fragment}`
  history.replaceState(null, '', fragment)
  useStore.getState().setScenario({ link: { url, hash: snap.hash, atMs: snap.doc.durationMs } })
  try {
    await navigator.clipboard.writeText(url)
  } catch {
    // No clipboard permission: the link stays on the page to copy by hand.
  }
  return url
}

/** Downloads the run so far as a JSON file. */
export async function exportFile(): Promise<void> {
  const snap = await snapshotDoc()
  if (!snap) return
  const blob = new Blob([scenarioToJson(snap.doc)], { type: 'application/json' })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = `scenario-seed${snap.doc.seed}-${Math.round(snap.doc.durationMs)}ms.json`
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}

/** Reads a scenario file and replays it; a bad file is refused with its code, the cluster kept. */
export async function importFile(file: File): Promise<boolean> {
  const parsed = parseScenarioJson(await file.text())
  if (!parsed.ok) {
    useStore.getState().setNotice(refusal(parsed, 'The running cluster is unchanged.'))
    return false
  }
  try {
    await openScenario(parsed.doc, 'file')
    return true
  } catch (e) {
    const d = toErrorData(e)
    useStore.getState().setNotice(`The scenario could not start (${d.code}: ${d.message}).`)
    return false
  }
}

/** A fragment pasted into this tab's address bar replays without a reload. */
export function watchFragment(): void {
  window.addEventListener('hashchange', () => {
    const notices: string[] = []
    void openLinkedScenario(window.location.hash, notices).then(() => {
      if (notices.length > 0) useStore.getState().setNotice(notices.join(' '))
    })
  })
}
