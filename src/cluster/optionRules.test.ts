import { describe, expect, it } from 'vitest'
import { isDbError, toErrorData } from '../core/errors'
import { closestName, editDistance } from '../core/suggest'
import { createSimCluster } from './createCluster'
import { resolveOptions } from './options'

function rejection(raw: unknown): string {
  try {
    resolveOptions(raw as never)
  } catch (e) {
    return isDbError(e) ? `${e.code}: ${toErrorData(e).message}` : `uncoded ${String(e)}`
  }
  return 'accepted'
}

const base = { runtime: 'sim', numNodes: 3 }

describe('batchWindowMsMax', () => {
  it('defaults to 4 ms, 0 turns the windows off, and reaches every node config', async () => {
    expect(resolveOptions(base as never).batchWindowMsMax).toBe(4)
    expect(resolveOptions({ ...base, batchWindowMsMax: 0 } as never).batchWindowMsMax).toBe(0)
    const c = await createSimCluster({ numNodes: 3, batchWindowMsMax: 7 })
    expect(c.liveNode(0).config.batchWindowMsMax).toBe(7)
    await c.shutdown()
  })
})

describe('every ClusterOption is type- and range-checked (BAD_CONFIG naming option, value and what is allowed)', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ sloppyQuorum: 'no' }, `sloppyQuorum must be true or false, got "no"`],
    [{ persist: 'false' }, `persist must be true or false, got "false"`],
    [{ dbPrefix: {} }, 'dbPrefix must be a string of 1 to 100 letters, digits, _ . : or -, got {}'],
    [{ dbPrefix: '' }, 'dbPrefix must be a string of 1 to 100 letters, digits, _ . : or -, got ""'],
    [{ numNodes: '3' }, 'numNodes must be an integer between 1 and 64, got "3"'],
    [{ numNodes: 65 }, 'numNodes must be an integer between 1 and 64, got 65'],
    [{ numNodes: Number.NaN }, 'numNodes must be an integer between 1 and 64, got NaN'],
    [{ seed: -1 }, 'seed must be an integer between 0 and 4,294,967,295, got -1'],
    [{ batchWindowMsMax: 101 }, 'batchWindowMsMax must be an integer between 0 and 100, got 101'],
    [{ batchWindowMsMax: -1 }, 'batchWindowMsMax must be an integer between 0 and 100, got -1'],
    [{ batchWindowMsMax: 2.5 }, 'batchWindowMsMax must be an integer between 0 and 100, got 2.5'],
    [{ readRepair: 'sometimes' }, `readRepair must be one of 'blocking', 'async', 'off', got "sometimes"`],
    [
      { consistency: 'quorum' },
      `consistency must be one of 'ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', got "quorum"`,
    ],
    [{ timestampSource: 1 }, `timestampSource must be one of 'lamport', 'wallclock', got 1`],
    [
      { heartbeatIntervalMs: 2 ** 31 },
      'heartbeatIntervalMs must be an integer between 1 and 2,147,483,647, got 2147483648',
    ],
    [
      { antiEntropyIntervalMs: Number.POSITIVE_INFINITY },
      'antiEntropyIntervalMs must be an integer between 0 and 2,147,483,647, got Infinity',
    ],
    [{ valueBytesMax: 0 }, 'valueBytesMax must be an integer between 1 and 16,777,216, got 0'],
    [{ keyBytesMax: 1e6 }, 'keyBytesMax must be an integer between 1 and 65,536, got 1000000'],
    [
      { memtableBytesMax: true },
      'memtableBytesMax must be an integer between 1,024 and 1,073,741,824, got true',
    ],
    [{ merkleDepth: 21 }, 'merkleDepth must be an integer between 1 and 20, got 21'],
    [
      { topology: [[1], [0]] },
      'topology must be an object mapping node index → list of node indexes, like { 0: [1], 1: [0] }, got [[1],[0]]',
    ],
    [
      { topology: { 0: 1 } },
      'topology must be an object mapping node index → list of node indexes, like { 0: [1], 1: [0] }, got {"0":1}',
    ],
    [{ topology: { 0: [1.5] } }, 'topology[0] names node 1.5, but there are 3 nodes'],
    [{ tokenAssignment: 'even' }, `tokenAssignment must be one of 'random', 'balanced', got "even"`],
    [
      { partitionStrategy: 'hash', tokenAssignment: 'balanced' },
      "tokenAssignment 'balanced' is for partitionStrategy 'ring' (this cluster uses 'hash')",
    ],
  ])('%j', (extra, message) => {
    expect(rejection({ ...base, ...extra })).toBe(`BAD_CONFIG: ${message}`)
  })

  it('the details name the option, the value and what is allowed', () => {
    try {
      resolveOptions({ ...base, sloppyQuorum: 'no' } as never)
    } catch (e) {
      expect(toErrorData(e).details).toEqual({
        option: 'sloppyQuorum',
        value: '"no"',
        allowed: 'true or false',
      })
    }
  })

  it('an unknown key names itself and the option it probably meant', () => {
    expect(rejection({ ...base, replicationFactr: 3 })).toBe(
      'BAD_CONFIG: unknown option "replicationFactr" (did you mean "replicationFactor"?)',
    )
    expect(rejection({ ...base, numnodes: 3 })).toMatch(/did you mean "numNodes"/)
    expect(rejection({ ...base, sloppy: true })).toMatch(
      /^BAD_CONFIG: unknown option "sloppy" \(known: runtime, numNodes/,
    )
  })

  it('valid options (and explicitly undefined ones) still resolve', () => {
    const o = resolveOptions({
      runtime: 'sim',
      numNodes: 5,
      seed: 9,
      sloppyQuorum: false,
      persist: false,
      dbPrefix: 'bench-1:a_b.c',
      keyBytesMax: 100,
      consistency: undefined,
      topology: { 0: [1], 1: [2], 2: [0], 3: [0], 4: [0] },
    })
    expect(o).toMatchObject({
      sloppyQuorum: false,
      persist: false,
      dbPrefix: 'bench-1:a_b.c',
      keyBytesMax: 100,
    })
  })
})

it('resolved options resolve again to themselves (the page passes them back on reset and runtime switch)', () => {
  const once = resolveOptions({ runtime: 'sim', numNodes: 4, consistency: 'QUORUM', topology: { 0: [1] } })
  expect(resolveOptions({ ...once })).toEqual(once)
  expect(once.tokenAssignment).toBe('random')
  const hash = resolveOptions({ runtime: 'sim', numNodes: 4, partitionStrategy: 'hash' })
  expect(resolveOptions({ ...hash })).toEqual(hash)
  const balanced = resolveOptions({ runtime: 'sim', numNodes: 4, tokenAssignment: 'balanced' })
  expect(resolveOptions({ ...balanced })).toEqual(balanced)
})

it('setTopology refuses a topology that is not an object (5 used to mean "no links at all")', async () => {
  const c = await createSimCluster({ numNodes: 3 })
  expect(() => c.setTopology(5 as never)).toThrow(
    /BAD_CONFIG: topology must map node index → list of indexes, got 5/,
  )
  expect(() => c.setTopology([[1]] as never)).toThrow(/got \[\[1\]\]/)
  expect(c.topology).toBeNull()
  await c.shutdown()
})

describe('suggestions', () => {
  it('edit distance and the closest known name', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('abc', 'ABC')).toBe(0)
    expect(closestName('latency', ['latencyMs', 'jitterMs'])).toBe('latencyMs')
    expect(closestName('zzz', ['latencyMs', 'jitterMs'])).toBeUndefined()
  })
})
