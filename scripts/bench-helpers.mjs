// Helpers shared by the benchmark scripts: a free local port, calls into a worker's own CDP target
// (workers are separate targets; Playwright exposes them only through the browser session), and CPU
// time of Chromium's processes and threads from /proc.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createNetServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

/**
 * A `call(sessionId, method, params)` that sends a CDP command to an attached worker target over a
 * browser CDP session (attachToTarget with flatten: false) and resolves with its result.
 */
export function targetCaller(cdp) {
  let id = 0
  return (sessionId, method, params) =>
    new Promise((res) => {
      const myId = ++id
      const onMessage = (e) => {
        if (e.sessionId !== sessionId) return
        const msg = JSON.parse(e.message)
        if (msg.id !== myId) return
        cdp.off('Target.receivedMessageFromTarget', onMessage)
        res(msg.result)
      }
      cdp.on('Target.receivedMessageFromTarget', onMessage)
      cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: myId, method, params }),
      })
    })
}

/** The Chromium process type of a pid ('browser', 'renderer', 'gpu-process', a utility's service), or null. */
function chromiumType(pid) {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  if (!/chrom/i.test(cmd.split('\0')[0])) return null
  return (
    cmd.match(/--utility-sub-type=[\w.]*?(\w+)\.mojom/)?.[1] ??
    cmd.match(/--type=([a-z-]+)/)?.[1] ??
    'browser'
  )
}

/**
 * The pids descended from this process: only the Chromium this benchmark launched, not another one
 * running on the same machine (a test run beside it would count as this benchmark's CPU).
 */
function ownDescendants() {
  const parent = new Map()
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      parent.set(pid, readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1])
    } catch {}
  }
  const self = String(process.pid)
  const ours = new Set()
  for (const pid of parent.keys()) {
    let p = pid
    for (let depth = 0; p && p !== '0' && p !== '1' && depth < 64; depth++) {
      if (p === self) {
        ours.add(pid)
        break
      }
      p = parent.get(p)
    }
  }
  return ours
}

/** user+system CPU ms of a /proc stat file. */
function statCpuMs(path) {
  const f = readFileSync(path, 'utf8').split(') ')[1].split(' ')
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100
}

/**
 * CPU time of every Chromium process by type (Linux /proc; {} elsewhere). CPU per operation is a far
 * steadier figure than throughput on a loaded 2-core machine, where every thread competes for cores.
 */
export function browserCpu() {
  const out = {}
  if (!existsSync('/proc/self/stat')) return out
  const ours = ownDescendants()
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    if (!ours.has(pid)) continue
    try {
      const type = chromiumType(pid)
      if (type) out[type] = (out[type] ?? 0) + statCpuMs(`/proc/${pid}/stat`)
    } catch {}
  }
  return out
}

/** CPU ms per Chromium thread group ("renderer:DedicatedWorker", "browser:IndexedDB", ...; Linux only). */
export function threadCpu() {
  const out = {}
  for (const { group, ms } of Object.values(threadCpuByTid())) out[group] = (out[group] ?? 0) + ms
  return out
}

/**
 * CPU ms per thread of the Chromium this process launched, by "pid/tid", with its group
 * ("renderer:DedicatedWorker", …; Linux only).
 */
export function threadCpuByTid() {
  const out = {}
  if (!existsSync('/proc/self/stat')) return out
  const ours = ownDescendants()
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    if (!ours.has(pid)) continue
    try {
      const type = chromiumType(pid)
      if (!type) continue
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
        const name = tid === pid ? 'main' : comm.replace(/\d+$/, '')
        out[`${pid}/${tid}`] = { group: `${type}:${name}`, ms: statCpuMs(`/proc/${pid}/task/${tid}/stat`) }
      }
    } catch {}
  }
  return out
}
