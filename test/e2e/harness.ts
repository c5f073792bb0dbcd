// Shared by the browser tests: the system Chromium through playwright-core, and tiny HTTP servers on 127.0.0.1
// that record every request they get (two servers = two origins: the site and a "third-party" tracker).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs'
import { trackContext } from '../../scripts/network-quiet.mjs'

// Instead of waitForLoadState('networkidle'), which can hang for good (see the module): every context made here counts its requests.
export { networkQuiet } from '../../scripts/network-quiet.mjs'

export const ROOT = resolve(__dirname, '../..')
export const DIST = join(ROOT, 'dist')

/** A running Chromium with a fresh profile. */
export interface TestBrowser {
  browser: Browser
  /** A new isolated context (own cookies, storage, IndexedDB). */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>
  close(): Promise<void>
}

/** Launches the system Chromium (never a downloaded one). */
export async function launchChromium(): Promise<TestBrowser> {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('no Chromium: run `apt-get install -y chromium` or set CHROMIUM_PATH')
  // launch() gives the browser a fresh temporary user-data-dir of its own, removed on close.
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
  return {
    browser,
    newContext: async (options) => {
      const context = await browser.newContext(options)
      trackContext(context)
      return context
    },
    close: () => browser.close(),
  }
}

/** What most browser tests share: a Chromium, the site's server and a tracker server (a second origin). */
export interface Suite {
  chrome: TestBrowser
  site: TestServer
  tracker: TestServer
}

/** Starts a Chromium, the site server and the tracker server together. */
export async function startSuite(): Promise<Suite> {
  const [chrome, site, tracker] = await Promise.all([launchChromium(), startServer(), startServer()])
  return { chrome, site, tracker }
}

/** Closes whatever was started; what never started (a failed `beforeAll`) is skipped. */
export const closeAll = (...open: Array<{ close(): Promise<void> } | undefined>) => Promise.all(open.map((x) => x?.close()))

/** One request as the server saw it. */
export interface SeenRequest {
  method: string
  path: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  at: number
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>
type Content = string | { body: string; type?: string; status?: number; headers?: Record<string, string> }

/** A local HTTP server that records requests; `dist/` is always served under `/dist/`. */
export interface TestServer {
  origin: string
  url(path: string): string
  /** Every request received, in order. */
  requests: SeenRequest[]
  /** Requests whose path starts with the prefix. */
  hits(prefix: string): SeenRequest[]
  /** Serves fixed content (type guessed from the extension) or a handler at an exact path. */
  route(path: string, content: Content | Handler): void
  /** Headers added to every HTML response (CSP tests). */
  htmlHeaders: Record<string, string>
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css', '.json': 'application/json', '.map': 'application/json', '.png': 'image/png', '.gif': 'image/gif',
}

/** A 1×1 transparent GIF: a tracking pixel that really decodes. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/** Starts a recording server on 127.0.0.1 at a free port. */
export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Content | Handler>()
  const requests: SeenRequest[] = []
  const htmlHeaders: Record<string, string> = {}
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({ method: req.method ?? 'GET', path: url.pathname, url: url.href, headers: req.headers, body, at: Date.now() })
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
    res.setHeader('Cache-Control', 'no-store')
    const route = routes.get(url.pathname)
    if (typeof route === 'function') return void (await route(req, res, body))
    if (route !== undefined) {
      const c = typeof route === 'string' ? { body: route } : route
      const type = c.type ?? TYPES[extname(url.pathname)] ?? 'text/html; charset=utf-8'
      res.writeHead(c.status ?? 200, { 'Content-Type': type, ...(type.startsWith('text/html') ? htmlHeaders : {}), ...c.headers })
      return void res.end(c.body)
    }
    if (url.pathname.startsWith('/dist/')) {
      try {
        const file = readFileSync(join(DIST, url.pathname.slice(6).replace(/\.\.+/g, '')))
        res.writeHead(200, { 'Content-Type': TYPES[extname(url.pathname)] ?? 'application/octet-stream' })
        return void res.end(file)
      } catch {
        // fall through to 404
      }
    }
    if (url.pathname.endsWith('.gif') || url.pathname.includes('pixel')) {
      res.writeHead(200, { 'Content-Type': 'image/gif' })
      return void res.end(PIXEL)
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('not found')
  })
  // A WebSocket handshake is a request too (counted, then refused): strict-mode tests count what reaches the server.
  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({ method: 'UPGRADE', path: url.pathname, url: url.href, headers: req.headers, body: '', at: Date.now() })
    socket.destroy()
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    url: (path) => origin + path,
    requests,
    hits: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    route: (path, content) => void routes.set(path, content),
    htmlHeaders,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections()
      server.close(() => done())
    }),
  }
}

/**
 * An HTML page that loads the built gate first in `<head>`, like a site does.
 * @param config the `window.minopioConsentConfig` object, as JS source (so RegExps can be written)
 * @param body the page body
 * @param head extra head markup after the gate
 */
export function sitePage(config: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test site</title>
<script>window.minopioConsentConfig = ${config};</script>
<script src="/dist/minopio-consent.js"></script>${head}</head><body>${body}</body></html>`
}
