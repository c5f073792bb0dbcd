// The collector as a process: a node:http server with timeouts against slow clients and a connection cap, the
// periodic checkpoint and the retention prune.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { createCollector } from './handler.js'
import type { Collector, CollectorOptions } from './handler.js'
import { silentLogger } from './log.js'

/** The server's own settings on top of the handler's. */
export interface ServerOptions extends CollectorOptions {
  /** 0 = a free port. */
  port?: number
  /** Interface to listen on; `127.0.0.1` unless told (a TLS reverse proxy in front terminates HTTPS). */
  listenHost?: string
  /** Open sockets at most; more are closed at once. */
  maxConnections?: number
  /** Headers and body must both arrive within this many ms (408 after). */
  requestTimeoutMs?: number
  /** Minutes between checkpoints over the chain heads; 0 = never (run `minopio-collector checkpoint` from cron). */
  checkpointMinutes?: number
  /** Delete events received more than this many days ago, checked hourly; undefined = keep everything. */
  retainDays?: number
}

/** A running collector. */
export interface RunningCollector {
  url: string
  server: Server
  collector: Collector
  /** Stops accepting, ends open sockets, closes the store. */
  close(): Promise<void>
}

const DAY = 86_400_000
const HOUR = 3_600_000

/**
 * Starts a collector server.
 * @example
 * const running = await startCollector({ store: await openStore('./consent.db'), port: 8080, origins: ['https://www.minopio.com'] })
 * console.log(running.url)
 */
export async function startCollector(options: ServerOptions): Promise<RunningCollector> {
  const { port = 0, listenHost = '127.0.0.1', maxConnections = 1000, requestTimeoutMs = 10_000, checkpointMinutes = 10, retainDays } = options
  const logger = options.logger ?? silentLogger
  const collector = createCollector(options)
  const server = createServer({
    // A trickled request (slowloris) is cut when its headers, or headers and body, take longer than this.
    headersTimeout: requestTimeoutMs,
    requestTimeout: requestTimeoutMs,
    // Node checks those timeouts on this interval (30 s by default, far past the limit).
    connectionsCheckingInterval: 1000,
    keepAliveTimeout: 5000,
  }, (req, res) => {
    collector.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ error: 'not found: the collector serves /api/consent, /healthz, /readyz, /metrics, /admin', field: null }))
      }
    }, () => res.destroy())
  })
  server.maxConnections = maxConnections
  // An idle socket (opened, then nothing) counts against the cap: close it after the same delay.
  server.on('connection', (socket) => socket.setTimeout(requestTimeoutMs * 3, () => socket.destroy()))
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    collector.metrics.count('requests_rejected', { status: timedOut ? '408' : '400', reason: timedOut ? 'timeout' : 'client_error' })
    if (socket.writable) socket.end(`HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\nConnection: close\r\n\r\n`)
    else socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, listenHost, () => resolve())
  })
  const address = server.address() as { port: number }
  const url = `http://${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${address.port}`
  const timers: NodeJS.Timeout[] = []
  const every = (ms: number, task: string, work: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      work().catch((error) => logger('error', { msg: `${task} failed`, error: String(error) }))
    }, ms)
    timer.unref()
    timers.push(timer)
  }
  const { store } = collector
  if (checkpointMinutes > 0) {
    every(checkpointMinutes * 60_000, 'checkpoint', async () => {
      const c = await store.checkpoint(new Date().toISOString())
      if (c) logger('info', { msg: 'checkpoint', id: c.id, root: c.root, heads: c.heads.length })
    })
  }
  if (retainDays !== undefined) {
    every(HOUR, 'prune', async () => {
      const deleted = await store.prune(new Date(Date.now() - retainDays * DAY).toISOString())
      if (deleted) logger('info', { msg: 'pruned events past retention', deleted, retainDays })
    })
  }
  logger('info', { msg: 'listening', url, engine: store.engine })
  return {
    url,
    server,
    collector,
    close: async () => {
      timers.forEach(clearInterval)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await store.close()
    },
  }
}
