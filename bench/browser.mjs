// The system Chromium through playwright-core, launched like the browser tests do (test/e2e/harness.ts).
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs'

/**
 * Launches the system Chromium (never a downloaded one).
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium() {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('[minopio-consent] no Chromium: run `apt-get install -y chromium` or set CHROMIUM_PATH')
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
}
