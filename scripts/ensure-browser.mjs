// Makes sure Playwright has a Chromium to drive before e2e tests run (npm's pretest:e2e hook).
// Debian's /usr/bin/chromium when present; else, as root with apt-get, install it; else Playwright's own.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const SYSTEM_CHROMIUM = '/usr/bin/chromium'
const run = (cmd) => execSync(cmd, { stdio: 'inherit' })

if (existsSync(SYSTEM_CHROMIUM)) process.exit(0)
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
let hasApt = false
try {
  execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' })
  hasApt = true
} catch {}
if (isRoot && hasApt) {
  console.log('e2e: installing Debian chromium (apt-get)…')
  run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium')
} else {
  console.log("e2e: no /usr/bin/chromium; installing Playwright's Chromium…")
  run('npx playwright install chromium')
}
