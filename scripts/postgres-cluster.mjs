// A throwaway PostgreSQL cluster for tests and the load check: initdb into a temp folder, start it on a free
// 127.0.0.1 port, stop and delete it afterwards. Debian's server binaries (apt-get install postgresql); never a mock.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = '/usr/lib/postgresql'

/** The newest installed server's bin folder (`/usr/lib/postgresql/<v>/bin`), or `null`. */
export function findPostgresBin() {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN
  if (!existsSync(ROOT)) return null
  const versions = readdirSync(ROOT).filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(ROOT, versions[0], 'bin') : null
}

const freePort = () => new Promise((resolve, reject) => {
  const server = createServer()
  server.once('error', reject)
  server.listen(0, '127.0.0.1', () => {
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
    server.close(() => resolve(port))
  })
})

/**
 * Starts a fresh cluster. PostgreSQL refuses to run as root: as root, the folder is given to the `postgres` user
 * and the binaries run through runuser.
 * @param {{ durable?: boolean }} [options] `durable: false` turns fsync off (tests: faster, a server crash is not tested)
 * @returns {Promise<{ url: string, port: number, stop(): void }>} `url` of the `postgres` database, user `postgres`
 */
export async function startCluster({ durable = true } = {}) {
  const bin = findPostgresBin()
  if (!bin) throw new Error('PostgreSQL server binaries not found: run node scripts/ensure-postgres.mjs (Debian: apt-get install -y postgresql) or set POSTGRES_BIN')
  const dir = mkdtempSync(join(tmpdir(), 'minopio-pg-'))
  const asRoot = process.getuid?.() === 0
  const run = (/** @type {string} */ tool, /** @type {string[]} */ args) => asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' })
    : execFileSync(join(bin, tool), args, { stdio: 'pipe' })
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()))
  const data = join(dir, 'data')
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])])
  const port = await freePort()
  const settings = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c max_connections=200', ...(durable ? [] : ['-c fsync=off', '-c full_page_writes=off'])]
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start'])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
