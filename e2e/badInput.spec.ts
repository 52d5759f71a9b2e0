/**
 * Issue 11 items 12-16 in the page (worker runtime): bad URL parameters give a banner and the default
 * cluster; bad options, sizes and link rules are refused with coded errors; a shut-down cluster
 * refuses every call.
 */
import { expect, type Page, test } from '@playwright/test'

async function ready(page: Page, query = ''): Promise<void> {
  await page.goto(`./${query}`)
  await page.waitForFunction(() => window.playground?.ready === true, undefined, { timeout: 30_000 })
}

for (const value of ['-1', '2.5', '65', '1e9', '0', 'abc']) {
  test(`?nodes=${value}: a banner names the parameter, the value and the range; the default cluster runs`, async ({
    page,
  }) => {
    await ready(page, `?nodes=${encodeURIComponent(value)}`)
    const notice = page.getByTestId('notice-banner')
    await expect(notice).toContainText(`URL parameter nodes=${value} is not allowed`)
    await expect(notice).toContainText('a whole number from 1 to 64')
    await expect(notice).toContainText('Started the default 5 nodes instead.')
    await expect(page.getByTestId('phase')).toContainText('5 nodes')
    await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(5)
    expect(await page.evaluate(() => window.playground.cluster?.runtime)).toBe('worker')
    const got = await page.evaluate(async () => {
      const c = window.playground.cluster!
      await c.put(0, 'k', 'v')
      return c.get(2, 'k')
    })
    expect(got).toBe('v')
  })
}

test('?runtime=cloud and an unknown parameter are named in the banner; good parameters still apply', async ({
  page,
}) => {
  await ready(page, '?runtime=cloud&node=4')
  const notice = page.getByTestId('notice-banner')
  await expect(notice).toContainText("runtime=cloud is not allowed: runtime must be 'worker' or 'sim'")
  await expect(notice).toContainText('Unknown URL parameter node ignored (did you mean nodes?)')
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(5)

  await ready(page, '?nodes=5&runtime=sim')
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(5)
  expect(await page.evaluate(() => window.playground.cluster?.runtime)).toBe('sim')
  await expect(page.getByTestId('notice-banner')).toHaveCount(0)
})

test('worker runtime: bad options, sizes and link rules get coded errors; a shut-down cluster refuses every call', async ({
  page,
}) => {
  await ready(page, '?tour=off') // the old, idle first load: no background workload competing for quorums
  const result = await page.evaluate(async () => {
    const code = async (f: () => unknown): Promise<string> => {
      try {
        await f()
        return 'ok'
      } catch (e) {
        const d = e as { code?: string; message?: string }
        return d.code ? `${d.code}: ${String(d.message).replace(`${d.code}: `, '')}` : `uncoded ${String(e)}`
      }
    }
    const pg = window.playground
    const c = pg.cluster!
    const out: Record<string, string> = {
      sloppyNo: await code(() => pg.createCluster({ numNodes: 3, sloppyQuorum: 'no' as never })),
      persistFalse: await code(() => pg.createCluster({ numNodes: 3, persist: 'false' as never })),
      dbPrefixObject: await code(() => pg.createCluster({ numNodes: 3, dbPrefix: {} as never })),
      typo: await code(() => pg.createCluster({ numNodes: 3, replicationFactr: 3 } as never)),
      hugeLatency: await code(() => c.setLink(0, 1, { latencyMs: 2 ** 31 })),
      hugeKey: await code(() => c.put(0, 'k'.repeat(2 * 1024 * 1024), 'v')),
      latin1MiB: await code(() => c.put(0, 'big', 'é'.repeat(1024 * 1024))),
      asciiMiB: await code(() => c.put(0, 'big', 'x'.repeat(1024 * 1024))),
      stillWorks: await code(() => c.put(1, 'k', 'v')),
    }
    // Replacing the cluster shuts the old one down without an error (the page unsubscribes first).
    await pg.createCluster({ numNodes: 2 })
    const old = c
    const calls: Array<[string, () => unknown]> = [
      ['partition', () => old.partition([[0], [1]])],
      ['heal', () => old.heal()],
      ['setLink', () => old.setLink(0, 1, { latencyMs: 5 })],
      ['settle', () => old.settle()],
      ['setTopology', () => old.setTopology(null)],
      ['subscribe', () => old.subscribe(() => {})],
      ['put', () => old.put(0, 'k', 'v')],
    ]
    for (const [name, f] of calls) out[`after shutdown: ${name}`] = (await code(f)).split(':')[0]
    out.newCluster = await code(() => pg.cluster!.put(0, 'k', 'v'))
    return out
  })
  expect(result).toEqual({
    sloppyNo: 'BAD_CONFIG: sloppyQuorum must be true or false, got "no"',
    persistFalse: 'BAD_CONFIG: persist must be true or false, got "false"',
    dbPrefixObject: 'BAD_CONFIG: dbPrefix must be a string of 1 to 100 letters, digits, _ . : or -, got {}',
    typo: 'BAD_CONFIG: unknown option "replicationFactr" (did you mean "replicationFactor"?)',
    hugeLatency:
      'BAD_INPUT: latencyMs must be a number of ms between 0 and 86400000 (one day), got 2147483648',
    hugeKey: expect.stringMatching(
      /^BAD_INPUT: the key "k+\.\.\." is 2097152 bytes \(UTF-8\); keyBytesMax is 4096$/,
    ),
    latin1MiB: 'VALUE_TOO_LARGE: the value of "big" is 2097152 bytes (UTF-8); valueBytesMax is 1048576',
    asciiMiB: 'ok',
    stillWorks: 'ok',
    'after shutdown: partition': 'CLUSTER_SHUT_DOWN',
    'after shutdown: heal': 'CLUSTER_SHUT_DOWN',
    'after shutdown: setLink': 'CLUSTER_SHUT_DOWN',
    'after shutdown: settle': 'CLUSTER_SHUT_DOWN',
    'after shutdown: setTopology': 'CLUSTER_SHUT_DOWN',
    'after shutdown: subscribe': 'CLUSTER_SHUT_DOWN',
    'after shutdown: put': 'CLUSTER_SHUT_DOWN',
    newCluster: 'ok',
  })
  await expect(page.locator('[data-testid^="db-node-"]')).toHaveCount(2)
  await expect(page.getByTestId('error-banner')).toHaveCount(0)
})

test('a bad workload spec is refused in a banner, in either runtime', async ({ page }) => {
  for (const query of ['?runtime=sim', '']) {
    await ready(page, query)
    await page.evaluate(() => window.playground.startWorkload({ keyCount: 1e9 }))
    await expect(page.getByTestId('error-banner')).toContainText(
      'BAD_INPUT workload keyCount must be an integer between 1 and 1000000, got 1000000000',
    )
    expect(await page.evaluate(() => window.playground.state().workloadRunning)).toBe(false)
  }
})
