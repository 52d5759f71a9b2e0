// Launches headless Chromium for the benchmark scripts: Debian's /usr/bin/chromium when present
// (Playwright cannot download browsers here), Playwright's own otherwise; flags as playwright.config.ts.
import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** A Chromium browser ready for `newPage()`. */
export function launchChromium() {
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS })
}
