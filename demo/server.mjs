// The demo: serves demo/ and dist/ on 127.0.0.1:8080.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PORT = Number(process.env.PORT ?? 8080)
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.map': 'application/json' }

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname
  const file = path.startsWith('/dist/') ? join(ROOT, normalize(path)) : join(ROOT, 'demo', normalize(path === '/' ? '/index.html' : path))
  try {
    const body = await readFile(file)
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(body)
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('not found')
  }
}).listen(PORT, '127.0.0.1', () => console.log(`Minopio demo: http://127.0.0.1:${PORT}/`))
