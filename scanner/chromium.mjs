// The system Chromium, for the scanner and (through scripts/find-chromium.mjs) the npm scripts and browser tests.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

/** Launch flags shared with the browser tests (test/e2e/harness.ts). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

/**
 * The system Chromium: `CHROMIUM_PATH`, else the first known install that exists; `null` when none.
 * @returns {string | null}
 */
export function findChromium() {
  const env = process.env.CHROMIUM_PATH
  if (env) return existsSync(env) ? env : null
  for (const path of CANDIDATES) if (existsSync(path)) return path
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null
    } catch {
      // not on PATH
    }
  }
  return null
}

/**
 * Launches the system Chromium headless through playwright-core (never a downloaded browser).
 * @returns {Promise<import('playwright-core').Browser>}
 * @throws {Error} when no Chromium is installed
 */
export async function launchSystemChromium() {
  const executablePath = findChromium()
  if (!executablePath) {
    throw new Error('[minopio-scan] no Chromium found: install it (Debian: `apt-get install chromium`) or set CHROMIUM_PATH')
  }
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
}
