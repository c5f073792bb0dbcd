// The system Chromium through playwright-core, launched like the browser tests do (test/e2e/harness.ts).
import { chromium } from 'playwright-core'
import { findChromium } from '../scripts/find-chromium.mjs'

/** Same flags as the browser tests: headless, no sandbox, no background traffic that would skew timings. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

/**
 * Launches the system Chromium (never a downloaded one).
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium() {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('[minopio-consent] no Chromium: run `apt-get install -y chromium` or set CHROMIUM_PATH')
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
}
