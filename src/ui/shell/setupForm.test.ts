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
  it('builds the conflict mode options and puts their errors on their fields', () => {
    expect(
      buildOptions({ ...DEFAULT_SETUP, consistencyMode: 'vector', siblingsMax: '4' }).options,
    ).toMatchObject({
      consistencyMode: 'vector',
      siblingsMax: 4,
    })
    expect(buildOptions({ ...DEFAULT_SETUP, consistencyMode: 'vector', siblingsMax: '0' }).error?.field).toBe(
      'siblingsMax',
    )
    const crdt = buildOptions({
      ...DEFAULT_SETUP,
      consistencyMode: 'crdt',
      crdtConfigText: 'likes:gcounter, tags: orset',
    })
    expect(crdt.options?.crdtConfig).toEqual({ likes: 'gcounter', tags: 'orset' })
    expect(
      buildOptions({ ...DEFAULT_SETUP, consistencyMode: 'crdt', crdtConfigText: 'likes' }).error?.field,
    ).toBe('crdtConfigText')
    expect(
      buildOptions({ ...DEFAULT_SETUP, consistencyMode: 'crdt', crdtConfigText: 'n:counter' }).error?.field,
    ).toBe('crdtConfigText')
    expect(buildOptions(DEFAULT_SETUP).options?.consistencyMode).toBeUndefined()
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
