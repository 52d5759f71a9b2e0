import { describe, expect, it } from 'vitest'
import { isDbError, toErrorData } from '../core/errors'
import { createSimCluster } from './createCluster'

const MiB = 1024 * 1024

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    return isDbError(e) ? `${e.code}: ${toErrorData(e).message}` : `uncoded ${String(e)}`
  }
}

describe('one size rule for values (UTF-8 bytes) and a key-size limit, through the cluster', () => {
  it('a value of exactly valueBytesMax UTF-8 bytes is stored; one byte more fails once, with one message', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 5 })
    // 1 MiB of ASCII: the coordinator let it through and the storage estimate (+4 bytes) refused it.
    expect(await outcome(c.put(0, 'ascii', 'x'.repeat(MiB)))).toBe('ok')
    expect((await c.get(2, 'ascii'))?.length).toBe(MiB)
    // 1 MiB of 'é' (2 MiB of UTF-8): both checks used to let it through, each counting differently.
    expect(await outcome(c.put(0, 'latin1', 'é'.repeat(MiB)))).toBe(
      'VALUE_TOO_LARGE: the value of "latin1" is 2097152 bytes (UTF-8); valueBytesMax is 1048576',
    )
    expect(await outcome(c.put(0, 'latin1', 'é'.repeat(MiB / 2)))).toBe('ok')
    expect(await outcome(c.put(0, 'emoji', '😀'.repeat(MiB / 4 + 1)))).toMatch(
      /^VALUE_TOO_LARGE: the value of "emoji" is 1048580 bytes \(UTF-8\)/,
    )
    await c.shutdown()
  })

  it('keys above keyBytesMax (default 4 KiB) fail BAD_INPUT for writes and reads', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 5 })
    expect(await outcome(c.put(0, 'k'.repeat(4096), 'v'))).toBe('ok')
    expect(await outcome(c.put(0, 'k'.repeat(2 * MiB), 'v'))).toMatch(
      /^BAD_INPUT: the key "k+\.\.\." is 2097152 bytes \(UTF-8\); keyBytesMax is 4096$/,
    )
    expect(await outcome(c.get(1, '€'.repeat(1366)))).toMatch(/^BAD_INPUT: .* is 4098 bytes/)
    await c.shutdown()
    const small = await createSimCluster({ numNodes: 1, keyBytesMax: 8 })
    expect(await outcome(small.put(0, 'eightch!', 'v'))).toBe('ok')
    expect(await outcome(small.put(0, 'ninechars', 'v'))).toMatch(/keyBytesMax is 8/)
    await small.shutdown()
  })
})
