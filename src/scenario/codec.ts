/**
 * Scenario documents in and out: JSON text (export/import as a file) and the URL fragment form
 * `#s=<base64url(deflate-raw(JSON))>`. Everything read is checked, never evaluated: size before
 * decompression and during it (a zip bomb stops at the cap), JSON, version, action names, the schema,
 * then the cluster's own option rules. Each refusal is a coded ScenarioError with a human message.
 */
import * as v from 'valibot'
import { resolveOptions } from '../cluster/options'
import type { ClusterOptions } from '../cluster/types'
import { toErrorData } from '../core/errors'
import { validateWorkloadSpec, type WorkloadSpec } from '../core/workload/generator'
import { isActionName, SCENARIO_VERSION, type ScenarioDoc, ScenarioSchema, STEPS_MAX } from './schema'

export const SCENARIO_ERROR_CODES = [
  'SCENARIO_NOT_BASE64',
  'SCENARIO_CORRUPT',
  'SCENARIO_TOO_LARGE',
  'SCENARIO_NOT_JSON',
  'SCENARIO_BAD_VERSION',
  'SCENARIO_UNKNOWN_ACTION',
  'SCENARIO_TOO_MANY_STEPS',
  'SCENARIO_BAD_OPTIONS',
  'SCENARIO_INVALID',
] as const
export type ScenarioErrorCode = (typeof SCENARIO_ERROR_CODES)[number]

export interface ScenarioError {
  code: ScenarioErrorCode
  message: string
}

export type Parsed = { ok: true; doc: ScenarioDoc } | { ok: false; error: ScenarioError }

/** Largest decoded (decompressed) document a URL fragment may carry. */
export const FRAGMENT_DECODED_BYTES_MAX = 64 * 1024
/** Largest fragment text accepted at all (checked before any decoding). */
export const FRAGMENT_CHARS_MAX = 96 * 1024
/** Largest imported file. */
export const FILE_BYTES_MAX = 8 * 1024 * 1024
/** Longest run a document may replay, virtual ms (replaying is work the page does at once). */
export const REPLAY_MS_MAX = 60 * 60 * 1000
/** The fragment key (tours use `#tour=`). */
export const FRAGMENT_KEY = 's'

const fail = (code: ScenarioErrorCode, message: string): Parsed => ({ ok: false, error: { code, message } })

/** Checks a parsed JSON value: version, step count, action names, schema, options, workloads. */
export function validateScenario(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('SCENARIO_INVALID', 'A scenario must be a JSON object.')
  const o = raw as Record<string, unknown>
  if (o.version !== SCENARIO_VERSION)
    return fail(
      'SCENARIO_BAD_VERSION',
      `Unknown scenario version ${JSON.stringify(o.version) ?? 'undefined'}; this page reads version ${SCENARIO_VERSION}.`,
    )
  if (Array.isArray(o.steps)) {
    if (o.steps.length > STEPS_MAX)
      return fail(
        'SCENARIO_TOO_MANY_STEPS',
        `The scenario has ${o.steps.length.toLocaleString('en-US')} steps; at most ${STEPS_MAX.toLocaleString('en-US')} are allowed.`,
      )
    for (const [i, s] of o.steps.entries()) {
      const action = (s as { action?: unknown } | null)?.action
      if (!isActionName(action))
        return fail(
          'SCENARIO_UNKNOWN_ACTION',
          `Step ${i + 1} has an unknown action ${JSON.stringify(action)?.slice(0, 60) ?? 'undefined'}.`,
        )
    }
  }
  const r = v.safeParse(ScenarioSchema, raw)
  if (!r.success) {
    const issue = r.issues[0]
    const path = v.getDotPath(issue) ?? '(document)'
    return fail('SCENARIO_INVALID', `The scenario is not valid at ${path}: ${issue.message}.`)
  }
  // The schemas have no transforms; the input is kept as it was (parse output adds `undefined` for
  // absent optional tuple items, which JSON would write as null).
  const doc = raw as ScenarioDoc
  try {
    resolveOptions(clusterOptionsOf(doc))
  } catch (e) {
    return fail(
      'SCENARIO_BAD_OPTIONS',
      `The scenario's cluster options are refused: ${toErrorData(e).message}.`,
    )
  }
  let last = 0
  for (const [i, s] of doc.steps.entries()) {
    if (s.at < last)
      return fail('SCENARIO_INVALID', `Step ${i + 1} is at ${s.at} ms, before the step before it.`)
    last = s.at
    if (s.action === 'startWorkload') {
      const bad = workloadProblem(s.args[0] as WorkloadSpec)
      if (bad) return fail('SCENARIO_INVALID', `Step ${i + 1}: ${bad}.`)
    }
  }
  if (last > doc.durationMs) return fail('SCENARIO_INVALID', `A step is at ${last} ms, after the run's end.`)
  if (doc.durationMs > REPLAY_MS_MAX)
    return fail(
      'SCENARIO_TOO_LARGE',
      `The run lasts ${Math.round(doc.durationMs / 60_000)} min of virtual time; at most ${REPLAY_MS_MAX / 60_000} min replays (a longer one would hold the page).`,
    )
  const bad = doc.workload && workloadProblem(doc.workload as WorkloadSpec)
  if (bad) return fail('SCENARIO_INVALID', `The workload is refused: ${bad}.`)
  return { ok: true, doc }
}

function workloadProblem(spec: WorkloadSpec): string | null {
  try {
    validateWorkloadSpec(spec)
    return null
  } catch (e) {
    return toErrorData(e).message
  }
}

/** The createCluster options a document describes (its seed and runtime win over `options`). */
export function clusterOptionsOf(doc: ScenarioDoc, runtime = doc.runtime): ClusterOptions {
  return { ...(doc.options as unknown as ClusterOptions), runtime, seed: doc.seed }
}

/** A document as JSON text (for a file). */
export function scenarioToJson(doc: ScenarioDoc): string {
  return JSON.stringify(doc)
}

/** Parses and checks JSON text (an imported file). */
export function parseScenarioJson(text: string, bytesMax = FILE_BYTES_MAX): Parsed {
  if (text.length > bytesMax)
    return fail(
      'SCENARIO_TOO_LARGE',
      `The scenario is ${text.length.toLocaleString('en-US')} bytes; at most ${bytesMax.toLocaleString('en-US')}.`,
    )
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return fail('SCENARIO_NOT_JSON', 'The scenario is not valid JSON.')
  }
  return validateScenario(raw)
}

/** `#s=…` for a document (deflate-raw, then base64url). */
export async function encodeFragment(doc: ScenarioDoc): Promise<string> {
  const bytes = new TextEncoder().encode(scenarioToJson(doc))
  const packed = await pipeThrough(bytes, new CompressionStream('deflate-raw'), Number.POSITIVE_INFINITY)
  return `#${FRAGMENT_KEY}=${toBase64Url(packed as Uint8Array)}`
}

/** The `s` value of a location hash, or null when it carries none. */
export function fragmentPayload(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash)
  return params.get(FRAGMENT_KEY)
}

/** Decodes and checks a fragment payload (the text after `s=`). */
export async function decodeFragment(payload: string): Promise<Parsed> {
  if (payload.length > FRAGMENT_CHARS_MAX)
    return fail(
      'SCENARIO_TOO_LARGE',
      `The link's scenario is ${payload.length.toLocaleString('en-US')} characters long; at most ${FRAGMENT_CHARS_MAX.toLocaleString('en-US')}.`,
    )
  const packed = fromBase64Url(payload)
  if (!packed)
    return fail('SCENARIO_NOT_BASE64', 'The link does not carry a scenario: its data is not base64url text.')
  const bytes = await pipeThrough(packed, new DecompressionStream('deflate-raw'), FRAGMENT_DECODED_BYTES_MAX)
  if (bytes === 'too-large')
    return fail(
      'SCENARIO_TOO_LARGE',
      `The link's scenario is larger than ${FRAGMENT_DECODED_BYTES_MAX / 1024} KiB once unpacked.`,
    )
  if (bytes === 'corrupt')
    return fail('SCENARIO_CORRUPT', "The link's scenario data is damaged (it does not unpack).")
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return fail('SCENARIO_NOT_JSON', "The link's scenario is not text.")
  }
  return parseScenarioJson(text, FRAGMENT_DECODED_BYTES_MAX)
}

/** Runs bytes through a (de)compression stream, stopping once the output passes `outMax` bytes. */
async function pipeThrough(
  input: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  outMax: number,
): Promise<Uint8Array | 'too-large' | 'corrupt'> {
  const writer = stream.writable.getWriter()
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {})
  writer.close().catch(() => {})
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > outMax) {
        await reader.cancel().catch(() => {})
        return 'too-large'
      }
      chunks.push(value)
    }
  } catch {
    return 'corrupt'
  }
  const out = new Uint8Array(total)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.byteLength
  }
  return out
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Bytes of base64url text, or null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)
  try {
    const bin = atob(b64)
    const out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
    return out
  } catch {
    return null
  }
}
