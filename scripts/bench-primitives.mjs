// What the browser's own primitives cost on this machine, all Chromium threads counted (issue #18): an
// IndexedDB readwrite transaction shaped like a node's group commit, and a postMessage between two
// workers shaped like a replicate message. The scale section prints them beside its per-op figures so
// a run can be read against the machine it ran on (the same build moves by up to 2x between runs here),
// and so the part of an op's CPU that no code of ours can remove is known: messages per op x the cost
// of a message + transactions per op x the cost of a transaction.
// Workers are made from Blob URLs on a blank page of the app's origin (routed by Playwright: the app's
// own page forbids blob workers in its Content-Security-Policy), so they use the same IndexedDB backend.
import { threadCpuByTid } from './bench-helpers.mjs'

/** A worker doing `txns` sequential transactions of `stores` stores, one put each (a ~300 B WAL-like value). */
const IDB_WORKER = `
onmessage = async (ev) => {
  const { name, txns, stores } = ev.data
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open(name, 1)
    r.onupgradeneeded = () => { for (const s of ['wal', 'meta', 'replog']) r.result.createObjectStore(s) }
    r.onsuccess = () => res(r.result)
    r.onerror = () => rej(r.error)
  })
  const names = ['wal', 'meta', 'replog'].slice(0, stores)
  const value = { keys: ['key-00001234'], values: ['v'.repeat(64)], metas: [{ ts: 123456, node: 'node_3' }], crc: 7 }
  const t0 = performance.now()
  for (let i = 1; i <= txns; i++) {
    await new Promise((res, rej) => {
      const tx = db.transaction(names, 'readwrite', { durability: 'default' })
      tx.oncomplete = res
      tx.onabort = () => rej(tx.error)
      for (const s of names) tx.objectStore(s).put(value, s === 'meta' ? 'node' : i)
    })
  }
  const ms = performance.now() - t0
  db.close()
  indexedDB.deleteDatabase(name)
  postMessage(ms)
}`

/**
 * Two workers over a MessageChannel: the sender posts \`count\` JSON strings of ~300 B (a replicate
 * message's size) in bursts of \`burst\`, one burst per 2 ms timer tick; the receiver parses each.
 */
const MSG_WORKER = `
let port
let got = 0
let want = 0
onmessage = (ev) => {
  const d = ev.data
  if (d.port) {
    port = d.port
    port.onmessage = (e) => {
      JSON.parse(e.data)
      if (++got === want) postMessage('done')
    }
    return
  }
  if (d.receive) { want = d.receive; got = 0; return }
  const msg = JSON.stringify({ type: 'replicate', reqId: 1, items: [{ op: { id: 'node_1:1', origin: 'node_1', seq: 1, key: 'key-00001234', value: 'v'.repeat(64), tombstone: false, version: { ts: 123456, node: 'node_1' }, writtenAtMs: 1.7e12 }, level: 'quorum' }] })
  let sent = 0
  const tick = () => {
    for (let i = 0; i < d.burst && sent < d.count; i++, sent++) port.postMessage(msg)
    if (sent < d.count) setTimeout(tick, 2)
  }
  tick()
}`

/** CPU ms summed over threads alive at both snapshots. */
function cpuMs(before, after) {
  let ms = 0
  for (const [tid, v] of Object.entries(after)) if (before[tid]) ms += v.ms - before[tid].ms
  return ms
}

/** Per-unit CPU (µs, all Chromium threads) and wall time of `run`, which does `units` units. */
async function measure(units, run) {
  const c0 = threadCpuByTid()
  const wallMs = await run()
  return { cpuUs: (cpuMs(c0, threadCpuByTid()) / units) * 1000, wallMs }
}

/**
 * Measures on `page` (a page of the app's origin; it is navigated to a blank one): an IndexedDB
 * transaction with one put and with three (a node's group commit writes the WAL record, the node's
 * meta and its log entry), and a worker-to-worker message alone (every 2 ms) and in bursts of 32.
 */
export async function measurePrimitives(page) {
  const blank = new URL('__primitives.html', page.url()).href
  await page.route(blank, (route) =>
    route.fulfill({ body: '<!doctype html><title>primitives</title>', contentType: 'text/html' }),
  )
  await page.goto(blank)
  const txns = 400
  const idb = async (stores) =>
    measure(txns, () =>
      page.evaluate(
        ({ code, txns, stores }) =>
          new Promise((res) => {
            const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })))
            w.onmessage = (e) => {
              w.terminate()
              res(e.data)
            }
            w.postMessage({ name: `primitives-${stores}-${Math.random()}`, txns, stores })
          }),
        { code: IDB_WORKER, txns, stores },
      ),
    )
  const msg = async (burst, count) =>
    measure(count, () =>
      page.evaluate(
        ({ code, count, burst }) =>
          new Promise((res) => {
            const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }))
            const a = new Worker(url)
            const b = new Worker(url)
            const ch = new MessageChannel()
            a.postMessage({ port: ch.port1 }, [ch.port1])
            b.postMessage({ port: ch.port2 }, [ch.port2])
            b.postMessage({ receive: count })
            const t0 = performance.now()
            b.onmessage = () => {
              a.terminate()
              b.terminate()
              res(performance.now() - t0)
            }
            setTimeout(() => a.postMessage({ count, burst }), 50)
          }),
        { code: MSG_WORKER, count, burst },
      ),
    )
  // Once untimed, so the workers' code and the IndexedDB backend are warm.
  await idb(1)
  return {
    idb1: await idb(1),
    idb3: await idb(3),
    msgAlone: await msg(1, 500),
    msgBurst: await msg(32, 2000),
  }
}
