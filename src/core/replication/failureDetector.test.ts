import { describe, expect, it } from 'vitest'
import type { NodeId } from '../ids'
import { FailureDetector } from './failureDetector'

const B = 'node_1' as NodeId

describe('FailureDetector', () => {
  it('moves a silent peer up → suspect → down and back up when heard', () => {
    const fd = new FailureDetector([B], 0, 1000)
    expect(fd.tick(400)).toEqual([])
    expect(fd.tick(600)).toEqual([{ peer: B, from: 'up', to: 'suspect' }])
    expect(fd.healthy(B)).toBe(true)
    expect(fd.tick(1100)).toEqual([{ peer: B, from: 'suspect', to: 'down' }])
    expect(fd.healthy(B)).toBe(false)
    expect(fd.downSinceMs(B)).toBe(1100)
    expect(fd.heard(B, 1200)).toEqual({ from: 'down', to: 'up' })
    expect(fd.view(B)).toBe('up')
  })
})
