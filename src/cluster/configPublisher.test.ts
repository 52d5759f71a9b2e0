import { describe, expect, it } from 'vitest'
import type { NodeId } from '../core/ids'
import type { NodeConfig } from '../core/node/nodeConfig'
import { partitionMapOf } from '../core/ring/placement'
import { ConfigPublisher } from './configPublisher'
import { Membership } from './membership'
import { resolveOptions } from './options'

function setup() {
  const m = new Membership(resolveOptions({ numNodes: 3, replicationFactor: 3 }))
  const sent: Array<{ except: NodeId | null; config: NodeConfig }> = []
  const p = new ConfigPublisher({
    m,
    sendConfig: (config, except) => sent.push({ config, except }),
    partitionMap: () => partitionMapOf(p.layout.ring, p.layout.n),
  })
  const heard: number[] = []
  p.listen((map) => heard.push(map.version))
  return { m, p, sent, heard }
}

describe('ConfigPublisher', () => {
  it('publishes the membership only on push; the map until then stays the last one sent', () => {
    const { m, p, sent } = setup()
    const first = p.layout
    m.add()
    expect(p.layout).toBe(first)
    expect(p.current().ring).toBe(m.ring)
    p.push()
    expect(p.layout.ring).toBe(m.ring)
    expect(p.config).toBe(m.config)
    expect(sent).toEqual([{ config: m.config, except: null }])
  })

  it('tells listeners each map version once; forgetAnnounced sends the same version again', () => {
    const { m, p, heard } = setup()
    p.push()
    p.push()
    expect(heard).toEqual([m.ring.version])
    p.forgetAnnounced()
    p.resend()
    expect(heard).toEqual([m.ring.version, m.ring.version])
  })

  it('a resend goes to every node but the joining one, with the published config', () => {
    const { m, p, sent } = setup()
    const published = p.config
    p.joining = m.add()
    p.resend()
    expect(sent).toEqual([{ config: published, except: p.joining }])
  })

  it('refuses a listener that is not a function (BAD_INPUT)', () => {
    const { p } = setup()
    expect(() => p.listen(42 as never)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })
})
