// Browser tests need a system Chromium (Debian's package when we can install it; see ensure-apt-package.mjs).
import { ensureAptPackage } from './ensure-apt-package.mjs'
import { findChromium } from './find-chromium.mjs'

ensureAptPackage({
  found: findChromium, pkg: 'chromium', what: 'Chromium',
  help: 'the browser tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
})
