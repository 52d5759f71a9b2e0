import { describe, expect, it } from 'vitest'
import { feedText } from './feedText'

describe('feedText', () => {
  it('says what the checker left out, long for the Verdict tab and short for the header chip', () => {
    expect(feedText({ sampleEvery: 1, dropped: 0 })).toBe('')
    expect(feedText({ sampleEvery: 3, dropped: 1200 })).toBe('sampled 1 in 3 keys · 1,200 not checked')
    expect(feedText({ sampleEvery: 3, dropped: 1200 }, true)).toBe('1 in 3 keys · 1,200 unchecked')
  })
})
