// Test set-up steps that need a system program (Chromium, a PostgreSQL server). We never download builds: on a
// Debian machine where we are root we install Debian's package, otherwise we say exactly what to do.
import { execSync } from 'node:child_process'

/**
 * Makes sure a system program is there, installing its Debian package when we can; exits 1 with `help` otherwise.
 * @param {{ found: () => unknown, pkg: string, what: string, help: string }} need `found` is truthy once installed
 */
export function ensureAptPackage({ found, pkg, what, help }) {
  if (found()) return
  const isRoot = process.getuid?.() === 0
  let hasApt = false
  try {
    execSync('command -v apt-get', { stdio: 'ignore' })
    hasApt = true
  } catch {
    // no apt-get
  }
  if (isRoot && hasApt) {
    console.log(`[minopio-consent] no ${what} found: installing Debian's ${pkg} package (apt-get install -y ${pkg})…`)
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`, { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  if (!found()) {
    console.error(`[minopio-consent] ${help}`)
    process.exit(1)
  }
}
