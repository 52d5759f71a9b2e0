/** Shared steps for the canvas, accessibility and mobile specs. */
import { expect, type Page, type TestInfo } from '@playwright/test'

/**
 * Opens the page; with options, replaces the default cluster through window.playground. `query`
 * `?tour=off` keeps the old first load (no workload, no "Try this" band) for checks that need it.
 */
export async function openPage(page: Page, options?: Record<string, unknown>, query = ''): Promise<void> {
  await page.goto(`./${query}`)
  await page.waitForFunction(() => window.playground?.ready === true)
  if (options)
    await page.evaluate(async (o) => {
      await window.playground.createCluster(o as never)
    }, options)
  await expect(page.getByTestId('phase')).toContainText('nodes')
}

/** Saves a screenshot into the test's output and attaches it to the report. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<string> {
  const path = info.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await info.attach(name, { path, contentType: 'image/png' })
  return path
}

/** The React Flow viewport zoom (the scale of its transform). */
export function viewportZoom(page: Page): Promise<number> {
  return page.evaluate(() => {
    const el = document.querySelector('.react-flow__viewport') as HTMLElement | null
    if (!el) return 0
    return new DOMMatrix(getComputedStyle(el).transform).a
  })
}

/** Smallest effective font size (computed px × zoom) of any visible text inside the DB node cards. */
export function minCardFontPx(page: Page): Promise<{ minPx: number; zoom: number; sample: string }> {
  return page.evaluate(() => {
    const vp = document.querySelector('.react-flow__viewport') as HTMLElement
    const zoom = new DOMMatrix(getComputedStyle(vp).transform).a
    let minPx = Number.POSITIVE_INFINITY
    let sample = ''
    for (const card of document.querySelectorAll('[data-testid^="db-node-"]')) {
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT)
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent?.trim()) continue
        const el = t.parentElement as HTMLElement
        const cs = getComputedStyle(el)
        if (cs.display === 'none' || cs.visibility === 'hidden' || el.getClientRects().length === 0) continue
        const px = Number.parseFloat(cs.fontSize) * zoom
        if (px < minPx) {
          minPx = px
          sample = t.textContent.trim()
        }
      }
    }
    return { minPx, zoom, sample }
  })
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** True when two boxes overlap by more than `slack` px in both axes. */
export function overlaps(a: Box, b: Box, slack = 1): boolean {
  return (
    a.x + a.width - slack > b.x &&
    b.x + b.width - slack > a.x &&
    a.y + a.height - slack > b.y &&
    b.y + b.height - slack > a.y
  )
}

/** Screen boxes of all DB cards, all edge label chips and the canvas. */
export function canvasBoxes(page: Page): Promise<{ cards: Box[]; chips: Box[]; canvas: Box }> {
  return page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect()
      return { x: r.x, y: r.y, width: r.width, height: r.height }
    }
    return {
      cards: [...document.querySelectorAll('[data-testid^="db-node-"]')].map(box),
      chips: [...document.querySelectorAll('.edge-chip')].map(box),
      canvas: box(document.querySelector('.react-flow') as Element),
    }
  })
}

/** Drags a DB node by its name to a screen point, pausing there; returns before the release. */
export async function dragNodeTo(page: Page, id: string, x: number, y: number): Promise<void> {
  const from = await page.getByTestId(`db-node-${id}`).locator('strong').first().boundingBox()
  if (!from) throw new Error(`no box for ${id}`)
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move((from.x + x) / 2, (from.y + y) / 2, { steps: 6 })
  await page.mouse.move(x, y, { steps: 6 })
}

/** Centre of an element by test id. */
export async function centreOf(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const b = await page.getByTestId(testId).boundingBox()
  if (!b) throw new Error(`no box for ${testId}`)
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 }
}

/** Waits until the React Flow viewport stops moving (a refit animates for ~250 ms). */
export async function settleView(page: Page): Promise<void> {
  const transform = () =>
    page.evaluate(
      () => getComputedStyle(document.querySelector('.react-flow__viewport') as Element).transform,
    )
  await expect
    .poll(
      async () => {
        const a = await transform()
        await page.waitForTimeout(200)
        return a === (await transform())
      },
      { timeout: 5000 },
    )
    .toBe(true)
}
