import { describe, expect, it } from 'vitest'
import { relTimeText, stepText } from './timeText'

describe('cluster time text', () => {
  it('relative seconds, not epoch ms', () => {
    expect(relTimeText(236_008)).toBe('236.008 s')
    expect(relTimeText(1_234_567)).toBe('1234.6 s')
    expect(relTimeText(-40)).toBe('-0.040 s')
  })
  it('a step line names what ran', () => {
    expect(stepText(236_008, 0, ['deliver replicate node_1 → node_2'])).toBe(
      't = 236.008 s deliver replicate node_1 → node_2',
    )
    expect(stepText(1500, 500, ['timer on node_0', 'timer on node_1'])).toBe(
      't = 1.000 s timer on node_0 (+1 more at this instant)',
    )
  })
})
