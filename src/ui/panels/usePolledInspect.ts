/** Polls cluster.inspect(id) while a panel is open (every `everyMs`, never every frame). */
import { useEffect, useState } from 'react'
import type { NodeInspection } from '../../cluster/types'
import { useStore } from '../store/store'

export function usePolledInspect(id: string | null, everyMs = 500): NodeInspection | null {
  const cluster = useStore((s) => s.cluster)
  const [data, setData] = useState<NodeInspection | null>(null)
  useEffect(() => {
    setData(null)
    if (!cluster || !id) return
    let stop = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const d = await cluster.inspect(id)
        if (!stop) setData(d)
      } catch {
        // node unknown or cluster gone: keep the last view
      }
      if (!stop) timer = setTimeout(poll, everyMs)
    }
    void poll()
    return () => {
      stop = true
      clearTimeout(timer)
    }
  }, [cluster, id, everyMs])
  return data
}
