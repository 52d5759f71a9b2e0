import { describe, expect, it } from 'vitest'
import { createSimCluster } from '../../cluster/createCluster'
import { partitionedDoubleWrite, simVerdicts, verdictText } from './conflictPreset'

describe('the "LWW loses writes, siblings don\'t" preset', () => {
  it('the same partitioned double write: lww loses one acknowledged write, vector and crdt none', async () => {
    const c = await createSimCluster({ numNodes: 3, seed: 1, consistencyMode: 'vector' })
    const vector = await partitionedDoubleWrite(c, 'vector')
    const [lww, crdt] = await simVerdicts(1)
    expect(vector).toMatchObject({ acked: ['milk', 'eggs'], kept: ['eggs', 'milk'], lost: [] })
    expect(lww.acked).toHaveLength(2)
    expect(lww.lost).toHaveLength(1)
    expect(crdt).toMatchObject({ kept: ['eggs', 'milk'], lost: [] })
    expect(verdictText([lww, vector, crdt])).toMatch(/^lww: kept \w+, 1 of 2 acknowledged writes lost/)
  })
})
