/**
 * Issue #18: a 16-node worker cluster under 20k ops/s offered. The generators back off (admission
 * control), the Workload panel says so, and the page stays responsive: a click on a node's menu
 * button opens the menu within 200 ms, from the click's input event (its timeStamp: when the browser
 * took the mouse-up, so waiting for the main thread counts) to the frame that shows the menu.
 */
import { expect, test } from '@playwright/test'

test('16 worker nodes at 20k ops/s offered: saturation notice, node menu opens within 200 ms', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await page.goto('./')
  await page.waitForFunction(() => window.playground?.ready === true)
  await page.evaluate(async () => {
    await window.playground.createCluster({
      runtime: 'worker',
      numNodes: 16,
      replicationFactor: 3,
      dbPrefix: `scale-${Date.now()}`,
      antiEntropyIntervalMs: 0,
    })
  })
  await expect(page.getByTestId('db-node-node_15')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('tab-workload').click()
  await page.evaluate(() =>
    window.playground.startWorkload({ ratePerSec: 20_000, concurrencyMax: 1024, coordinator: 'token-aware' }),
  )
  const notice = page.getByTestId('saturation-notice')
  await expect(notice).toBeVisible({ timeout: 60_000 })
  await expect(notice).toContainText(/offered [\d,]+ · achieved [\d,]+ · the machine is CPU-bound/)
  // The (compact, at 16 nodes) cards show the batching windows in their tooltip (bound 4 ms by default).
  await expect(page.locator('[data-testid="db-node-node_3"] .db-node-mini')).toHaveAttribute(
    'title',
    /Batching window now: group commit \d+ ms, replicate batch \d+ ms \(bound 4 ms/,
  )

  const openDelays: number[] = []
  for (const id of ['node_3', 'node_9', 'node_14', 'node_6', 'node_1']) {
    await page.evaluate(() => {
      const w = window as unknown as { __down?: number; __shown?: number }
      w.__down = undefined
      w.__shown = undefined
      document.addEventListener(
        'click',
        (e) => {
          w.__down = e.timeStamp
        },
        { capture: true, once: true },
      )
      const seen = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="node-menu"]')) return
        seen.disconnect()
        requestAnimationFrame(() => {
          w.__shown = performance.now()
        })
      })
      seen.observe(document.body, { childList: true, subtree: true })
    })
    await page.getByRole('button', { name: `Actions for ${id}`, exact: true }).click()
    await expect(page.getByTestId('node-menu')).toBeVisible()
    const ms = await page.waitForFunction(() => {
      const w = window as unknown as { __down?: number; __shown?: number }
      return w.__down !== undefined && w.__shown !== undefined ? w.__shown - w.__down : null
    })
    openDelays.push((await ms.jsonValue()) as number)
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('node-menu')).toBeHidden()
  }
  console.log(`node menu open delays under 20k offered: ${openDelays.map((d) => d.toFixed(0)).join(', ')} ms`)
  await page.screenshot({ path: 'test-results/scale-saturated.png' })
  // The median click, not every one: this runs on 2 shared cores whose load average reaches 30–40
  // (other jobs), where the OS alone can hold the page's thread off a core for a few hundred ms.
  const median = [...openDelays].sort((a, b) => a - b)[Math.floor(openDelays.length / 2)]
  expect(median).toBeLessThan(200)
  for (const d of openDelays) expect(d).toBeLessThan(1000)
  await page.evaluate(() => window.playground.stopWorkload())
})
