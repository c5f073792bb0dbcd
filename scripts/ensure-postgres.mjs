// The collector's tests run against a real PostgreSQL server they start themselves (scripts/postgres-cluster.mjs):
// Debian's server package when we can install it (see ensure-apt-package.mjs).
import { ensureAptPackage } from './ensure-apt-package.mjs'
import { findPostgresBin } from './postgres-cluster.mjs'

ensureAptPackage({
  found: findPostgresBin, pkg: 'postgresql', what: 'PostgreSQL server',
  help: 'the collector tests need a PostgreSQL server (initdb, pg_ctl). Install it (Debian/Ubuntu: sudo apt-get install -y postgresql) or set POSTGRES_BIN to its bin folder.',
})
