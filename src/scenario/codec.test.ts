import { describe, expect, it } from 'vitest'
import {
  decodeFragment,
  encodeFragment,
  FRAGMENT_DECODED_BYTES_MAX,
  fragmentPayload,
  type Parsed,
  parseScenarioJson,
  type ScenarioErrorCode,
  scenarioToJson,
  toBase64Url,
} from './codec'
import type { Narration } from './narration'
import { ACTION_NAMES, type ActionName, SCENARIO_VERSION, type ScenarioDoc, STEPS_MAX } from './schema'

const SPEC = {
  ratePerSec: 50,
  readFraction: 0.5,
  distribution: 'uniform',
  keyCount: 20,
  valueBytes: 16,
  concurrencyMax: 8,
  seed: 3,
}

/** At least one call of every action, as the page would record it; a new action must add its own. */
const EXAMPLES = {
  put: [
    [0, 'k', 'v'],
    [1, 'k', 'v', { level: 'ALL' }],
    ['node_2', 'user1', '001', 'Alice'],
  ],
  delete: [
    [0, 'k'],
    [0, 'user1', '001', { level: 'ONE' }],
  ],
  get: [[0, 'k', { level: 'QUORUM' }]],
  read: [
    [2, 'k'],
    [2, 'user1', '001'],
  ],
  applyCrdt: [[0, 'likes', { inc: 2 }]],
  kill: [[1]],
  restart: [['node_1']],
  pause: [[2]],
  resume: [[2]],
  partition: [
    [
      [
        [0, 1],
        [2, 3, 4],
      ],
    ],
  ],
  heal: [[]],
  setLink: [
    [0, 1, { cut: true }],
    [1, 0, { latencyMs: 40, jitterMs: 5, lossRate: 0.2, duplicateRate: 0.1 }],
  ],
  setClockSkew: [[3, -1500]],
  setDiskFaults: [[0, { commitDelayMs: 50, commitFailRate: 0.1, quotaBytes: null, tornTailOnKill: true }]],
  addNode: [[]],
  removeNode: [[4]],
  setTopology: [[{ 0: [1], 1: [2], 2: [0] }], [null]],
  startWorkload: [[SPEC]],
  stopWorkload: [[]],
  antiEntropy: [[0], [0, { peer: 'node_1', rangeIndex: 2 }]],
  flush: [[0]],
  compact: [[1]],
  enableSalt: [['hot', 4]],
  markHotKey: [['hot', 4, true]],
  splitPartition: [[3], [3, 'm']],
  mergePartitions: [[1, 2]],
  transferPartition: [[0, 1, 7]],
  rebalance: [[]],
  setMaxTransferRate: [[1_000_000]],
  enableForwarding: [[true]],
  resetMetrics: [[]],
  checkHotPartitions: [[], [2, 10]],
  checkColdPartitions: [[0.5, 3]],
  checkHotKeys: [[5, 4]],
  getRange: [['user1', '000', '999', { via: 0, limit: 10 }]],
  secondaryQuery: [['city', 'Lisbon']],
  globalQuery: [['city', 'Lisbon', { level: 'ONE' }]],
  step: [[]],
} satisfies Record<ActionName, unknown[][]>

function docWith(steps: ScenarioDoc['steps'], extra: Partial<ScenarioDoc> = {}): ScenarioDoc {
  return {
    version: SCENARIO_VERSION,
    seed: 42,
    runtime: 'sim',
    options: { numNodes: 5, replicationFactor: 3 },
    workload: null,
    steps,
    durationMs: 10_000,
    ...extra,
  }
}

function allSteps(): ScenarioDoc['steps'] {
  let at = 0
  const steps: unknown[] = []
  for (const action of ACTION_NAMES)
    for (const args of EXAMPLES[action]) {
      at += 10
      steps.push({ at, action, args })
    }
  return steps as ScenarioDoc['steps']
}

async function viaFragment(doc: unknown): Promise<Parsed> {
  const json = new TextEncoder().encode(JSON.stringify(doc))
  const packed = await new Response(
    new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw')),
  ).arrayBuffer()
  return decodeFragment(toBase64Url(new Uint8Array(packed)))
}

function codeOf(p: Parsed): ScenarioErrorCode | 'ok' {
  return p.ok ? 'ok' : p.error.code
}

const NARRATION: Narration = {
  tour: 'hello',
  blurb: 'Say hello',
  steps: [{ id: 'kill', text: 'Kill a node.', done: { state: 'nodeDown' }, saw: '{killed} is down.' }],
  summary: 'Hello.',
}

describe('scenario schema and codec', () => {
  it('every action round-trips through JSON and through the URL fragment unchanged', async () => {
    const doc = docWith(allSteps(), { workload: SPEC as never, narration: NARRATION })
    expect(new Set(doc.steps.map((s) => s.action))).toEqual(new Set(ACTION_NAMES))
    const json = parseScenarioJson(scenarioToJson(doc))
    expect(json).toEqual({ ok: true, doc })
    const hash = await encodeFragment(doc)
    expect(hash.startsWith('#s=')).toBe(true)
    expect(await decodeFragment(fragmentPayload(hash) ?? '')).toEqual({ ok: true, doc })
  })

  it('refuses each kind of bad input with its code and a human message', async () => {
    const cases: Array<[string, () => Promise<Parsed> | Parsed, ScenarioErrorCode]> = [
      ['not base64', () => decodeFragment('%%%not*base64!!'), 'SCENARIO_NOT_BASE64'],
      [
        'base64 of no deflate stream',
        () => decodeFragment(toBase64Url(new Uint8Array(64).fill(0xff))),
        'SCENARIO_CORRUPT',
      ],
      ['not JSON', () => decodeFragmentText('{"version": 1,'), 'SCENARIO_NOT_JSON'],
      ['unknown version', () => viaFragment({ ...docWith([]), version: 2 }), 'SCENARIO_BAD_VERSION'],
      ['no version', () => viaFragment({ steps: [] }), 'SCENARIO_BAD_VERSION'],
      [
        'unknown action',
        () => viaFragment(docWith([{ at: 0, action: 'eval', args: ['alert(1)'] } as never])),
        'SCENARIO_UNKNOWN_ACTION',
      ],
      [
        'W > N',
        () => viaFragment(docWith([], { options: { numNodes: 3, replicationFactor: 3, writeQuorum: 5 } })),
        'SCENARIO_BAD_OPTIONS',
      ],
      [
        'unknown option',
        () => viaFragment(docWith([], { options: { numNodes: 3, __proto__x: 1 } })),
        'SCENARIO_BAD_OPTIONS',
      ],
      [
        'oversized (> 64 KiB unpacked, a few hundred bytes packed)',
        () => viaFragment(docWith([], { title: 'x'.repeat(FRAGMENT_DECODED_BYTES_MAX + 10) })),
        'SCENARIO_TOO_LARGE',
      ],
      [
        '100k steps in a link',
        () =>
          viaFragment(docWith(Array.from({ length: 100_000 }, () => ({ at: 0, action: 'heal', args: [] })))),
        'SCENARIO_TOO_LARGE',
      ],
      [
        '100k steps in a file',
        () =>
          parseScenarioJson(
            JSON.stringify(
              docWith(Array.from({ length: 100_000 }, () => ({ at: 0, action: 'heal', args: [] }))),
            ),
          ),
        'SCENARIO_TOO_MANY_STEPS',
      ],
      [
        'bad arguments',
        () => viaFragment(docWith([{ at: 0, action: 'kill', args: [{}] } as never])),
        'SCENARIO_INVALID',
      ],
      ['extra field', () => viaFragment({ ...docWith([]), script: 'fetch("//x")' }), 'SCENARIO_INVALID'],
      [
        'steps out of order',
        () =>
          viaFragment(
            docWith([
              { at: 50, action: 'heal', args: [] },
              { at: 10, action: 'heal', args: [] },
            ]),
          ),
        'SCENARIO_INVALID',
      ],
      [
        'bad workload',
        () => viaFragment(docWith([], { workload: { ...SPEC, readFraction: 3 } as never })),
        'SCENARIO_INVALID',
      ],
      ['not an object', () => parseScenarioJson('[1,2,3]'), 'SCENARIO_INVALID'],
      [
        'a run of 10 virtual days (would hold the page)',
        () => viaFragment(docWith([], { durationMs: 10 * 24 * 3600 * 1000 })),
        'SCENARIO_TOO_LARGE',
      ],
    ]
    for (const [what, run, code] of cases) {
      const p = await run()
      expect(codeOf(p), what).toBe(code)
      if (!p.ok) expect(p.error.message.length, what).toBeGreaterThan(10)
    }
  })

  it(`caps steps at ${STEPS_MAX} and fragments at their size before unpacking`, async () => {
    const ok = docWith(
      Array.from({ length: 20 }, (_, i) => ({ at: i, action: 'heal' as const, args: [] as [] })),
    )
    expect(codeOf(await viaFragment(ok))).toBe('ok')
    expect(codeOf(await decodeFragment('A'.repeat(200_000)))).toBe('SCENARIO_TOO_LARGE')
  })
})

/** A fragment carrying `text` (deflated) rather than a JSON document. */
async function decodeFragmentText(text: string): Promise<Parsed> {
  const packed = await new Response(
    new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw')),
  ).arrayBuffer()
  return decodeFragment(toBase64Url(new Uint8Array(packed)))
}
