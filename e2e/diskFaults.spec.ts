/**
 * Issue #17 "storage faults", in real Chromium with real workers and IndexedDB: a failing-commit
 * fault set from the node menu refuses that node's writes with a coded error, the refusals are
 * counted in the menu, the fault is a chip in "Faults in effect", and healing the disk takes writes
 * again.
 */
import { expect, test } from '@playwright/test'
import { openPage, shot } from './pageHelpers'

test('a failing disk from the node menu: writes refused with STORAGE_UNAVAILABLE, counted, shown, healed', async ({
  page,
}, info) => {
  await openPage(page, '?nodes=3')
  const card = page.getByTestId('db-node-node_1')
  await card.locator('.node-menu-btn').click()
  const menu = page.getByTestId('node-menu')
  await menu.getByTestId('disk-faults-toggle').click()
  // A bad value is explained and applies nothing.
  await menu.getByTestId('disk-fail').fill('150')
  await menu.getByTestId('disk-apply').click()
  await expect(menu.getByTestId('disk-error')).toContainText('percentage from 0 to 100')
  await menu.getByTestId('disk-fail').fill('100')
  await menu.getByTestId('disk-apply').click()
  const chip = page.getByTestId('fault-chip').filter({ hasText: 'node_1 disk' })
  await expect(chip).toContainText('100% of commits fail', { timeout: 10_000 })

  const codes = await page.evaluate(async () => {
    const c = window.playground.cluster!
    const out: string[] = []
    for (let i = 0; i < 5; i++)
      out.push(
        await c.put('node_1', `disk-${i}`, 'v', { level: 'ONE' }).then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? 'uncoded',
        ),
      )
    return out
  })
  expect(codes).toEqual(Array(5).fill('STORAGE_UNAVAILABLE'))
  await expect(menu.getByTestId('disk-stats')).toContainText(/[1-9]\d* commits? aborted/, { timeout: 10_000 })
  await shot(page, info, 'disk-faults-menu')
  await expect(chip).toBeInViewport()

  await chip.getByTestId('fault-undo').click()
  await expect(chip).toHaveCount(0, { timeout: 10_000 })
  expect(
    await page.evaluate(() =>
      window.playground.cluster!.put('node_1', 'disk-after', 'v', { level: 'ONE' }).then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? 'uncoded',
      ),
    ),
  ).toBe('ok')
})
