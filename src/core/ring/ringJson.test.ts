import { describe, expect, it } from 'vitest'
import { nodeId } from '../ids'
import { seededRandom } from '../random'
import { addNode, buildRing, preferenceList } from './hashRing'
import { ringFromJson, ringToJson } from './ringJson'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('ringToJson / ringFromJson', () => {
  it('round-trips through JSON text with the same routing and version', () => {
    const ring = addNode(buildRing([nodeId(0), nodeId(1)], 4, seededRandom(1)), nodeId(2), seededRandom(2))
    const back = ringFromJson(JSON.parse(JSON.stringify(ringToJson(ring))))
    expect(back).toEqual(ring)
    expect(back.version).toBe(2)
    expect(preferenceList(back, 'x', 2)).toEqual(preferenceList(ring, 'x', 2))
  })

  it.each([
    ['null', null],
    ['bad version', { version: -1, partitionsPerNode: 1, vnodes: [] }],
    ['bad token', { version: 1, partitionsPerNode: 1, vnodes: [['xyz', 'node_0']] }],
    ['bad node', { version: 1, partitionsPerNode: 1, vnodes: [['a'.repeat(40), 'bob']] }],
    [
      'unsorted',
      {
        version: 1,
        partitionsPerNode: 1,
        vnodes: [
          ['b'.repeat(40), 'node_0'],
          ['a'.repeat(40), 'node_1'],
        ],
      },
    ],
  ])('rejects %s with BAD_INPUT', (_, raw) => {
    expect(codeOf(() => ringFromJson(raw))).toBe('BAD_INPUT')
  })

  it('rejects partitionsPerNode 0 with BAD_CONFIG', () => {
    expect(codeOf(() => ringFromJson({ version: 1, partitionsPerNode: 0, vnodes: [] }))).toBe('BAD_CONFIG')
  })
})
