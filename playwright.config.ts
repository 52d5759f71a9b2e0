import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

// Debian's Chromium when present (Playwright cannot download browsers here); Playwright's own otherwise.
const systemChromium = '/usr/bin/chromium'
const executablePath = existsSync(systemChromium) ? systemChromium : undefined
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

// E2E_PORT and E2E_DIST let several people (or helpers) run e2e at once without sharing a server.
const port = Number(process.env.E2E_PORT ?? 4179)
const dist = process.env.E2E_DIST ?? 'dist'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: process.env.E2E_OUTPUT ?? 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}/demo/`,
    launchOptions: { executablePath, args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  // The production build served from a sub-path, as a static host would.
  webServer: {
    command: `node scripts/serve-static.mjs ${dist} /demo/ ${port}`,
    url: `http://127.0.0.1:${port}/demo/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
})
