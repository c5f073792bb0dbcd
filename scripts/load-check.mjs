// Load check of the consent-log collector (not a test): events/s and latency for SQLite, and for PostgreSQL with one
// and with two collector instances. Each collector runs in its own child process (the built package), so client
// work does not eat its CPU; clients are spread over the instances as a load balancer would. Some events are sent
// twice, as retries are, and the script checks that the stored count equals the distinct events sent.
// PostgreSQL: a throwaway cluster (Debian's server, fsync on) is started and removed; skipped when not installed.
// Usage: node scripts/load-check.mjs [--events 10000] [--clients 50] [--only sqlite|postgres|postgres-2]
import { fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findPostgresBin, startCluster } from './postgres-cluster.mjs'

const arg = (/** @type {string} */ name, /** @type {string | number | null} */ fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? process.argv[at + 1] : fallback
}
const RETRY_SHARE = 0.02 // resent events: a retry after a lost answer
const REQUEST_TIMEOUT = 10_000
const DEADLINE = 300_000
const UNLIMITED = { ipRate: 1e6, ipBurst: 1e6, consentRate: 1e6, consentBurst: 1e6 }

/**
 * Child: one collector instance on `db`; answers `{ port }` once listening.
 * @param {string} db a SQLite file or a postgres:// URL
 */
async function serve(db) {
  const { openStore, startCollector } = await import('@minopio/consent-collector')
  const running = await startCollector({ store: await openStore(db), rateLimits: UNLIMITED, checkpointMinutes: 0 })
  process.send?.({ port: Number(new URL(running.url).port) })
  process.on('message', (msg) => msg === 'stop' && running.close().then(() => process.exit(0)))
}

/** @param {string} db @returns {Promise<{ child: import('node:child_process').ChildProcess, port: number }>} */
const startInstance = (db) => new Promise((resolve, reject) => {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', db])
  child.once('message', (msg) => resolve({ child, port: /** @type {{ port: number }} */ (msg).port }))
  child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)))
})

/**
 * Posts `total` events from `clients` keep-alive clients spread over `ports`; returns the figures.
 * @param {number[]} ports @param {number} total @param {number} clients
 */
async function run(ports, total, clients) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  /** @param {number} port @param {object} event @returns {Promise<number | string | undefined>} */
  const post = (port, event) => new Promise((resolve) => {
    const body = JSON.stringify(event)
    const req = request({ host: '127.0.0.1', port, path: '/api/consent', method: 'POST', agent, timeout: REQUEST_TIMEOUT,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error) => resolve(error.message))
    req.end(body)
  })
  const distinct = new Set()
  const statuses = new Map()
  /** @type {number[]} */
  const latencies = []
  let next = 0
  const client = async (/** @type {number} */ c) => {
    const consentId = randomUUID()
    /** @type {{ eventId: string, [field: string]: unknown }[]} */
    const mine = []
    while (next < total) {
      next++
      /** @type {boolean} */
      const retry = mine.length > 0 && Math.random() < RETRY_SHARE
      /** @type {{ eventId: string, [field: string]: unknown }} */
      const event = retry ? mine[Math.floor(Math.random() * mine.length)] : {
        eventId: randomUUID(), consentId, timestamp: new Date().toISOString(),
        action: mine.length ? 'custom' : 'accept_all', source: mine.length ? 'preferences' : 'banner',
        categories: { necessary: true, analytics: c % 2 === 0 || !mine.length, marketing: mine.length % 2 === 0, partners: !mine.length },
        previous: mine.length ? { necessary: true, analytics: false, marketing: false, partners: false } : null,
        policyVersion: '2024-05', language: 'en', page: `http://127.0.0.1:8080/shop/${c}`, gpc: false,
        sdkVersion: '1.0.0', shown: { texts: 'ab'.repeat(32), lang: 'en' },
      }
      if (!retry) mine.push(event)
      const started = performance.now()
      const status = await post(ports[c % ports.length], event)
      latencies.push(performance.now() - started)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      if (status === 201 || status === 200) distinct.add(event.eventId)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const pct = (/** @type {number} */ p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
  return { seconds, distinct, statuses, p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1) ?? NaN }
}

/**
 * Starts `instances` collectors on one database, loads them, and checks every distinct event was stored once.
 * @param {string} name @param {string} db @param {number} instances @param {number} total @param {number} clients
 */
async function check(name, db, instances, total, clients) {
  /** @type {{ child: import('node:child_process').ChildProcess, port: number }[]} */
  const started = []
  try {
    for (let i = 0; i < instances; i++) started.push(await startInstance(db))
    const r = await run(started.map((s) => s.port), total, clients)
    const { openStore } = await import('@minopio/consent-collector')
    const store = await openStore(db)
    const { events: stored } = await store.counts()
    await store.close()
    const created = r.statuses.get(201) ?? 0
    const ok = stored === r.distinct.size && created === r.distinct.size && created + (r.statuses.get(200) ?? 0) === total
    console.log(`${name}: ${total} events from ${clients} clients in ${r.seconds.toFixed(2)} s: ${Math.round(total / r.seconds)} events/s; ` +
      `latency ms p50 ${r.p50.toFixed(1)}, p99 ${r.p99.toFixed(1)}, max ${r.max.toFixed(1)}`)
    console.log(`  answers: ${[...r.statuses].map(([s, n]) => `${s}×${n}`).join(', ')} (200 = a retried event answered again); ` +
      `stored ${stored} ${stored === r.distinct.size ? '==' : '!='} ${r.distinct.size} distinct events sent: ${ok ? 'OK' : 'MISMATCH'}`)
    return ok
  } finally {
    for (const { child } of started) child.kill()
  }
}

async function main() {
  const total = Number(arg('events', 10_000))
  const clients = Number(arg('clients', 50))
  const only = arg('only', null)
  const deadline = setTimeout(() => {
    console.error(`load check: not done after ${DEADLINE / 1000} s, stopping`)
    process.exit(1)
  }, DEADLINE)
  deadline.unref()
  const dir = mkdtempSync(join(tmpdir(), 'consent-load-'))
  /** @type {Awaited<ReturnType<typeof startCluster>> | null} */
  let cluster = null
  let ok = true
  try {
    if (!only || only === 'sqlite') ok = await check('SQLite, 1 instance', join(dir, 'consent.db'), 1, total, clients) && ok
    if (only && only === 'sqlite') return
    if (!findPostgresBin()) {
      console.log('PostgreSQL: skipped (no server installed: node scripts/ensure-postgres.mjs)')
      return
    }
    cluster = await startCluster({ durable: true })
    const url = cluster.url
    const pg = (/** @type {string} */ name) => url.replace(/\/postgres$/, `/${name}`)
    const { default: Pg } = await import('pg')
    const admin = new Pg.Client(cluster.url)
    await admin.connect()
    await admin.query('CREATE DATABASE load1')
    await admin.query('CREATE DATABASE load2')
    await admin.end()
    if (!only || only === 'postgres') ok = await check('PostgreSQL, 1 instance', pg('load1'), 1, total, clients) && ok
    if (!only || only === 'postgres-2') ok = await check('PostgreSQL, 2 instances', pg('load2'), 2, total, clients) && ok
  } finally {
    process.exitCode = ok ? 0 : 1
    cluster?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3])
else await main()
