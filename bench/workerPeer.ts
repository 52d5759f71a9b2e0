/**
 * Baseline worker for bench:worker (bench/workerBench.ts). It echoes comlink calls from the page
 * (page ↔ worker round trip) and plays ping-pong with a peer worker over one port: either a direct
 * MessageChannel to the peer, or a port to the relay switch (bench/netSwitch.ts). Messages have the
 * shape and size of a real one-op `replicate` and its `replicate-ack`.
 */
import { expose } from 'comlink'

interface Wire {
  to: string
  from: string
  body: unknown
}

let me = ''
let peer = ''
let port: MessagePort | null = null
let onReply: ((m: Wire) => void) | null = null

const VALUE = 'v'.repeat(100)

/** A message shaped like a one-op replicate (about 330 B as JSON). */
function replicateBody(seq: number): unknown {
  return {
    type: 'replicate',
    v: 1,
    from: me,
    reqId: seq,
    items: [
      {
        op: {
          id: `${me}:${seq}`,
          origin: me,
          seq,
          key: `user${String(seq).padStart(8, '0')}`,
          value: VALUE,
          tombstone: false,
          version: { ts: seq, node: me },
          writtenAtMs: 1_700_000_000_000 + seq,
        },
      },
    ],
  }
}

function ackBody(req: { reqId: number; items: Array<{ op: { id: string } }> }): unknown {
  return { type: 'replicate-ack', v: 1, from: me, reqId: req.reqId, ids: [req.items[0].op.id] }
}

function onWire(ev: MessageEvent<Wire>): void {
  const m = ev.data
  const body = m.body as { type: string; reqId: number; items: Array<{ op: { id: string } }> }
  if (body.type === 'replicate') port!.postMessage({ to: m.from, from: me, body: ackBody(body) })
  else onReply?.(m)
}

export interface RttStats {
  n: number
  ms: number
  perSec: number
  p50Us: number
  p99Us: number
  isolated: boolean
}

export function stats(lat: Float64Array, n: number, ms: number): RttStats {
  const s = lat.slice(0, n).sort()
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] * 1000
  return {
    n,
    ms,
    perSec: (n / ms) * 1000,
    p50Us: q(0.5),
    p99Us: q(0.99),
    isolated: (self as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  }
}

const api = {
  echo<T>(x: T): T {
    return x
  },
  /** Gives this worker its port (direct to the peer, or to the switch) and names it. */
  attach(name: string, peerName: string, p: MessagePort): void {
    me = name
    peer = peerName
    port?.close()
    port = p
    port.onmessage = onWire
  },
  /** Ping-pong with `window` replicate/ack round trips in flight (1 = strict ping-pong). */
  pingPong(n: number, window: number): Promise<RttStats> {
    const lat = new Float64Array(n)
    const sentAt = new Float64Array(n)
    let sent = 0
    let done = 0
    return new Promise((resolve) => {
      const t0 = performance.now()
      const sendOne = (): void => {
        const i = sent++
        sentAt[i] = performance.now()
        port!.postMessage({ to: peer, from: me, body: replicateBody(i) })
      }
      onReply = (m) => {
        const i = (m.body as { reqId: number }).reqId
        lat[done++] = performance.now() - sentAt[i]
        if (done === n) {
          onReply = null
          resolve(stats(lat, n, performance.now() - t0))
        } else if (sent < n) sendOne()
      }
      for (let k = 0; k < Math.min(window, n); k++) sendOne()
    })
  },
  /**
   * `n` IndexedDB readwrite transactions one after another, each putting one small record (raw
   * IndexedDB: the fixed cost of a transaction, which a node pays per group commit). Resolves with
   * wall-clock ms per transaction; the script measures CPU around the call.
   */
  async idbTransactions(n: number): Promise<number> {
    const name = `bench-txn-${me || 'peer'}-${Date.now()}`
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name, 1)
      r.onupgradeneeded = () => r.result.createObjectStore('wal')
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    const t0 = performance.now()
    for (let i = 0; i < n; i++) {
      const tx = db.transaction('wal', 'readwrite')
      tx.objectStore('wal').put({ key: `k${i}`, value: VALUE }, i)
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve()
        tx.onabort = () => reject(tx.error)
      })
    }
    const ms = (performance.now() - t0) / n
    db.close()
    indexedDB.deleteDatabase(name)
    return ms
  },
}

export type WorkerPeerApi = typeof api
expose(api)
