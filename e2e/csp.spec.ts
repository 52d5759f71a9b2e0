/**
 * Issue 11 item 17: the built page runs under its Content-Security-Policy (index.html) with no
 * violation while the dashboard starts a worker cluster, runs a workload, and every side panel draws.
 */
import { expect, test } from '@playwright/test'

declare global {
  interface Window {
    cspViolations: Array<{ directive: string; blocked: string; sample: string }>
  }
}

test('the page runs a cluster and a workload under its CSP with no violation or console error', async ({
  page,
}, info) => {
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`))
  await page.addInitScript(() => {
    window.cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }),
    )
  })
  await page.goto('./?tour=off') // starts its own workload from the panel
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(policy).toContain("default-src 'self'")
  expect(policy).toContain("worker-src 'self'")
  await page.waitForFunction(() => window.playground?.ready === true)
  expect(await page.evaluate(() => window.playground.cluster?.runtime)).toBe('worker')
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(5)

  // A workload from the panel: the uPlot charts draw on canvases.
  await page.getByTestId('tab-workload').click()
  await page.getByTestId('wl-ratePerSec').fill('200')
  await page.getByTestId('wl-start').click()
  await expect
    .poll(async () => Number(await page.getByTestId('wl-throughput').textContent()), { timeout: 15_000 })
    .toBeGreaterThan(0)
  await expect(page.getByTestId('chart-throughput').locator('canvas')).toBeVisible()
  for (const tab of [
    'ring',
    'cluster',
    'merkle',
    'hints',
    'storage',
    'data',
    'events',
    'console',
    'workload',
  ])
    await page.getByTestId(`tab-${tab}`).click()
  // A partition and a kill redraw zones and edges.
  await page.evaluate(async () => {
    const c = window.playground.cluster!
    c.partition([[0, 1], [2]])
    await c.kill(2)
    c.heal()
    await c.restart(2)
  })
  await expect(page.getByTestId('db-node-node_2')).toHaveAttribute('data-status', /up|suspect/)
  await page.getByTestId('wl-stop').click()
  const path = info.outputPath('csp-dashboard.png')
  await page.screenshot({ path })
  await info.attach('csp-dashboard', { path, contentType: 'image/png' })

  expect(await page.evaluate(() => window.cspViolations)).toEqual([])
  expect(consoleErrors).toEqual([])

  // The policy is in force and the listener hears it: an inline script is refused.
  await page.evaluate(() => {
    const s = document.createElement('script')
    s.textContent = 'window.inlineRan = true'
    document.body.append(s)
  })
  await expect.poll(() => page.evaluate(() => window.cspViolations.length)).toBe(1)
  expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined()
  expect(await page.evaluate(() => window.cspViolations[0].directive)).toMatch(/script-src/)
})
