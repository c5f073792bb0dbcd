// Browser tests need a system Chromium. We never download a browser build: on a Debian machine where we are
// root we install Debian's package, otherwise we say exactly what to do.
import { execSync } from 'node:child_process'
import { findChromium } from './find-chromium.mjs'

if (!findChromium()) {
  const isRoot = process.getuid?.() === 0
  let hasApt = false
  try {
    execSync('command -v apt-get', { stdio: 'ignore' })
    hasApt = true
  } catch {
    // no apt-get
  }
  if (isRoot && hasApt) {
    console.log('[minopio-consent] no Chromium found: installing Debian\'s chromium package (apt-get install -y chromium)…')
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  if (!findChromium()) {
    console.error('[minopio-consent] the browser tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.')
    process.exit(1)
  }
}
