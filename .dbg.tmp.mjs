import { chromium } from '@playwright/test'
const port = 4325
const { spawn } = await import('node:child_process')
const server = spawn(process.execPath, ['scripts/serve-static.mjs', 'dist', '/demo/', String(port)], { stdio: 'ignore' })
await new Promise(r => setTimeout(r, 500))
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] })
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('pageerror', e => console.log('pageerror', e.message))
  await page.goto(`http://127.0.0.1:${port}/demo/?runtime=sim`)
  await page.waitForFunction(() => window.playground?.ready === true)
  await page.getByTestId('tab-messages').click()
  await page.evaluate(() => window.playground.startWorkload({ ratePerSec: 200 }))
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(1000)
    console.log(await page.evaluate(() => ({ note: document.querySelector('[data-testid=diagram-sampling]').textContent, arrows: document.querySelector('[data-testid=diagram-canvas]').dataset.arrows, now: window.playground.cluster.time.nowMs, tput: window.playground.state().samples.slice(-1)[0]?.opsPerSec })))
  }
  const key = await page.evaluate(() => document.querySelector('[data-testid="diagram-list"] li[data-keys]:not([data-keys=""])').getAttribute('data-keys').split(' ')[0])
  await page.getByTestId('diagram-key').fill(key)
  for (let i = 0; i < 3; i++) {
    await page.waitForTimeout(300)
    console.log(key, await page.evaluate(() => ({ arrows: document.querySelector('[data-testid=diagram-canvas]').dataset.arrows, rows: [...document.querySelectorAll('[data-testid="diagram-list"] li')].map(l => l.textContent.slice(0, 60)) })))
  }
  await page.screenshot({ path: '/tmp/diag/dbg.png' })
} finally { await browser.close(); server.kill() }
