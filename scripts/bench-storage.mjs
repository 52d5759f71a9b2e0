import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { freePort, targetCaller } from './bench-helpers.mjs'
import { launchChromium } from './launch-chromium.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Worker heap via the browser CDP session (workers are their own targets). */
async function workerHeap(browser) {
  const cdp = await browser.newBrowserCDPSession()
  try {
    const { targetInfos } = await cdp.send('Target.getTargets')
    const worker = targetInfos.find((t) => t.type === 'worker')
    if (!worker) return undefined
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: worker.targetId,
      flatten: false,
    })
    const send = targetCaller(cdp)
    const call = (method) => send(sessionId, method)
    await call('HeapProfiler.collectGarbage')
    const usage = await call('Runtime.getHeapUsage')
    return usage?.usedSize
  } catch (e) {
    console.warn('heap measurement failed:', e.message)
    return undefined
  } finally {
    await cdp.detach().catch(() => {})
  }
}

const port = await freePort()
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'warn',
  server: { host: '127.0.0.1', port, strictPort: true },
  optimizeDeps: { entries: ['bench/storage.html'], include: ['idb'] },
})
await server.listen()
const browser = await launchChromium()
let exitCode = 0
try {
  const page = await browser.newPage()
  page.on('pageerror', (e) => console.error('[page error]', e.message))
  let heapBytes
  const done = new Promise((res, rej) => {
    page.exposeFunction('benchReport', async (msg) => {
      if (msg.type === 'progress')
        console.log(`  ${msg.name}: ${fmt(msg.value)} ${msg.unit}${msg.note ? ` (${msg.note})` : ''}`)
      else if (msg.type === 'heap') {
        heapBytes = await workerHeap(browser)
        await page.evaluate(() => window.continueBench())
      } else if (msg.type === 'result') res(msg.rows)
      else if (msg.type === 'error') rej(new Error(msg.message))
    })
  })
  await page.goto(
    `http://127.0.0.1:${port}/bench/storage.html${process.argv.includes('--quick') ? '?quick' : ''}`,
  )
  const rows = await done
  printTable(rows, heapBytes)
} catch (e) {
  console.error('benchmark failed:', e)
  exitCode = 1
} finally {
  await browser.close()
  await server.close()
}
process.exit(exitCode)

function fmt(v) {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)
}

function printTable(rows, heapBytes) {
  const get = (prefix) => rows.find((r) => r.name.startsWith(prefix))?.value
  console.log('\n| measurement | value | unit | note |\n|---|---:|---|---|')
  for (const r of rows) console.log(`| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${r.note ?? ''} |`)
  const heap = heapBytes === undefined ? 'not measurable' : `${(heapBytes / 2 ** 20).toFixed(1)} MiB`
  console.log(
    `| LSM: worker heap at 100k keys (CDP Runtime.getHeapUsage after GC) | ${heap} | | includes the block cache |`,
  )
  const targets = [
    [
      'durable puts, 64 writers vs raw 20k-in-one-tx',
      get('LSM: durable puts'),
      get('raw idb: 20k puts'),
      3,
      '>=',
    ],
    ['warm point get vs raw get', get('LSM: warm point get'), get('raw idb: get'), 10, '>='],
    ['100-key scan vs raw getAll', get('LSM: scan'), get('raw idb: getAll'), 0.5, '>='],
  ]
  console.log('\n| target | ratio | goal | met |\n|---|---:|---:|---|')
  for (const [name, lsm, raw, goal] of targets) {
    const ratio = lsm / raw
    console.log(`| ${name} | ${ratio.toFixed(2)}x | >= ${goal}x | ${ratio >= goal ? 'yes' : 'NO'} |`)
  }
  const reopen = get('LSM: reopen')
  console.log(`| reopen with 100k keys | ${fmt(reopen)} ms | < 500 ms | ${reopen < 500 ? 'yes' : 'NO'} |`)
}
