import { describe, expect, it } from 'vitest'
import { buildOptions, DEFAULT_SETUP, fieldOf, keyRangesOf } from './setupForm'

describe('setup form validation', () => {
  it('accepts the defaults', () => {
    const r = buildOptions(DEFAULT_SETUP)
    expect(r.error).toBeNull()
    expect(r.options).toMatchObject({
      numNodes: 5,
      replicationFactor: 3,
      runtime: 'worker',
      sloppyQuorum: true,
    })
  })
  it('puts W > N on the writeQuorum field', () => {
    const r = buildOptions({ ...DEFAULT_SETUP, replicationFactor: '3', writeQuorum: '4' })
    expect(r.error).toEqual({
      field: 'writeQuorum',
      message: 'BAD_CONFIG: writeQuorum 4 > replicationFactor 3',
    })
  })
  it('reports a bad custom topology on the text field', () => {
    const r = buildOptions({ ...DEFAULT_SETUP, topologyKind: 'custom', topologyText: '0:1; 7:0' })
    expect(r.error?.field).toBe('topologyText')
    const r2 = buildOptions({ ...DEFAULT_SETUP, topologyKind: 'custom', topologyText: 'zero:one' })
    expect(r2.error?.field).toBe('topologyText')
  })
  it('maps messages to fields', () => {
    expect(fieldOf('numNodes must be between 1 and 64, got 0')).toBe('numNodes')
    expect(fieldOf('something else')).toBe('form')
  })
})

describe('setup form: partitioning', () => {
  it('range boundaries become contiguous keyRanges starting at the empty key', () => {
    expect(keyRangesOf('g, n ,t')).toEqual([
      ['', 'g'],
      ['g', 'n'],
      ['n', 't'],
      ['t', null],
    ])
    const r = buildOptions({ ...DEFAULT_SETUP, partitionStrategy: 'range', rangeBoundaries: 'm' })
    expect(r.options).toMatchObject({
      partitionStrategy: 'range',
      keyRanges: [
        ['', 'm'],
        ['m', null],
      ],
    })
  })
  it('puts unsorted boundaries on the boundaries field and a bad rate on its field', () => {
    const r = buildOptions({ ...DEFAULT_SETUP, partitionStrategy: 'range', rangeBoundaries: 't, g' })
    expect(r.error?.field).toBe('rangeBoundaries')
    const h = buildOptions({ ...DEFAULT_SETUP, partitionStrategy: 'hash', numPartitions: '16' })
    expect(h.options).toMatchObject({ partitionStrategy: 'hash', numPartitions: 16 })
    expect(buildOptions({ ...DEFAULT_SETUP, maxTransferRate: '-5' }).error?.field).toBe('maxTransferRate')
  })
})
