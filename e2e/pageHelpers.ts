/** Shared by the e2e specs: open the page (with a query) until its cluster is ready, and screenshots. */
import { expect, type Page, type TestInfo } from '@playwright/test'

/**
 * Opens the page (`query` like '?nodes=3') and waits until the cluster is up. `IDLE_FIRST_LOAD`
 * (`?tour=off`) keeps the old first load: no gentle workload, no "Try this" band over the canvas.
 */
export const IDLE_FIRST_LOAD = '?tour=off'

export async function openPage(page: Page, query = ''): Promise<void> {
  await page.goto(`./${query}`)
  await page.waitForFunction(() => window.playground?.ready === true)
  await expect(page.getByTestId('phase')).toContainText('nodes')
}

/** Takes a screenshot and attaches it to the test's report. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await info.attach(name, { path, contentType: 'image/png' })
}
