// Load check of the demo consent-log server (not a test): 10,000 events from 50 concurrent clients on 127.0.0.1.
// The server runs in a child process with a fresh SQLite file, so client work does not eat its CPU; some events are
// sent twice, as retries are, and the script checks that the stored count equals the distinct events sent.
// Usage: node scripts/load-check.mjs [--events 10000] [--clients 50]
import { fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const RETRY_SHARE = 0.02 // resent events: a retry after a lost answer
const REQUEST_TIMEOUT = 10_000
const DEADLINE = 180_000

if (process.argv[2] === '--serve') serve(process.argv[3])
else await main()

async function serve(file) {
  const { createConsentLog } = await import('../demo/consent-log-server.mjs')
  const log = createConsentLog({ file })
  const server = createServer(async (req, res) => {
    if (!(await log.handle(req, res))) {
      res.writeHead(404)
      res.end()
    }
  })
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
  process.on('message', (msg) => {
    if (msg !== 'count') return
    const { n, d } = log.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS d FROM consent_events').get()
    process.send({ stored: n, distinct: d })
    server.close()
    log.close()
  })
}

async function main() {
  const total = arg('events', 10_000)
  const clients = arg('clients', 50)
  const dir = mkdtempSync(join(tmpdir(), 'consent-load-'))
  const child = fork(fileURLToPath(import.meta.url), ['--serve', join(dir, 'consent.sqlite')])
  const deadline = setTimeout(() => {
    console.error(`load check: not done after ${DEADLINE / 1000} s, stopping`)
    child.kill()
    process.exit(1)
  }, DEADLINE)
  try {
    const { port } = await new Promise((resolve) => child.once('message', resolve))
    const agent = new Agent({ keepAlive: true, maxSockets: clients })
    const post = (event) => new Promise((resolve) => {
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
    const latencies = []
    let next = 0
    const client = async (c) => {
      const consentId = randomUUID()
      const mine = []
      while (next < total) {
        next++
        const retry = mine.length > 0 && Math.random() < RETRY_SHARE
        const event = retry ? mine[Math.floor(Math.random() * mine.length)] : {
          eventId: randomUUID(), consentId, timestamp: new Date().toISOString(),
          action: mine.length ? 'custom' : 'accept_all', source: mine.length ? 'preferences' : 'banner',
          categories: { necessary: true, analytics: c % 2 === 0, marketing: mine.length % 2 === 0, partners: false },
          previous: mine.length ? { necessary: true, analytics: false, marketing: false, partners: false } : null,
          policyVersion: '2024-05', language: 'en', page: `http://127.0.0.1:8080/shop/${c}`, gpc: false,
          sdkVersion: '1.0.0', shown: { texts: 'ab'.repeat(32), lang: 'en' },
        }
        if (!retry) mine.push(event)
        const started = performance.now()
        const status = await post(event)
        latencies.push(performance.now() - started)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status === 201 || status === 200) distinct.add(event.eventId)
      }
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)))
    const seconds = (performance.now() - started) / 1000
    agent.destroy()

    child.send('count')
    const { stored } = await new Promise((resolve) => child.once('message', resolve))
    latencies.sort((a, b) => a - b)
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1)
    const ok = stored === distinct.size && (statuses.get(201) ?? 0) === distinct.size && (statuses.get(201) ?? 0) + (statuses.get(200) ?? 0) === total
    console.log(`posted ${total} events from ${clients} concurrent clients in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} events/s`)
    console.log(`latency ms: p50 ${pct(0.5)}, p99 ${pct(0.99)}, max ${latencies.at(-1).toFixed(1)}`)
    console.log(`answers: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')} (200 = a retried event answered again)`)
    console.log(`stored ${stored} ${stored === distinct.size ? '==' : '!='} ${distinct.size} distinct events sent: ${ok ? 'OK' : 'MISMATCH'}`)
    process.exitCode = ok ? 0 : 1
  } finally {
    clearTimeout(deadline)
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}
