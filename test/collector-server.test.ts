// @vitest-environment node
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector } from '../collector/src/server'
import type { RunningCollector } from '../collector/src/server'
import { openStore } from '../collector/src/store'
import { ENGINES, validEvent } from './collector-harness'
import type { Database } from './collector-harness'

// Socket behaviour does not depend on the engine: SQLite only. Timeouts are shortened so the suite stays quick;
// the defaults (10 s) are checked on their own.
const TIMEOUT = 1500
let database: Database
let running: RunningCollector
let port: number

beforeAll(async () => {
  database = await ENGINES[0][1]()
  running = await startCollector({ store: await openStore(database.db), requestTimeoutMs: TIMEOUT, maxConnections: 100, checkpointMinutes: 0 })
  port = Number(new URL(running.url).port)
})
afterAll(async () => {
  await running.close()
  await database.drop()
})

/** Opens a raw socket, writes `first`, and resolves with what the server answered and when it closed. */
function trickle(first: string, every: () => string | null): Promise<{ answer: string; closedAfter: number }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(first))
    let answer = ''
    const timer = setInterval(() => {
      const next = every()
      if (next !== null && socket.writable) socket.write(next)
    }, 200)
    socket.on('data', (d) => { answer += d })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      resolve({ answer, closedAfter: Date.now() - started })
    })
  })
}

describe('the collector server against slow and many clients', () => {
  it('defaults to 10 s for headers and body, checked every second', async () => {
    const defaults = await startCollector({ store: await openStore(database.db), checkpointMinutes: 0 })
    try {
      expect(defaults.server.headersTimeout).toBe(10_000)
      expect(defaults.server.requestTimeout).toBe(10_000)
      expect(defaults.server.maxConnections).toBe(1000)
    } finally {
      await new Promise((done) => defaults.server.close(done))
    }
  })

  it('cuts a client that trickles its headers (slowloris) once the header timeout passes', async () => {
    const { answer, closedAfter } = await trickle('POST /api/consent HTTP/1.1\r\nHost: x\r\n', () => 'X-Slow: 1\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    expect(closedAfter).toBeLessThan(TIMEOUT + 2500)
  })

  it('cuts a client that trickles its body, and stores nothing from it', async () => {
    const body = JSON.stringify(validEvent())
    let sent = 0
    const { answer, closedAfter } = await trickle(
      `POST /api/consent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      () => (sent < body.length - 1 ? body[sent++] : null))
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    expect(closedAfter).toBeLessThan(TIMEOUT + 2500)
    expect((await running.collector.store.counts()).events).toBe(0)
  })

  it('stays up under 2,000 concurrent sockets beyond its connection cap and serves again once they go', async () => {
    const sockets = await Promise.all(Array.from({ length: 2000 }, () => new Promise<Socket>((resolve) => {
      const s = connect(port, '127.0.0.1', () => resolve(s))
      s.on('error', () => resolve(s))
    })))
    // The cap (100 here) closes every socket past it at once: the server never holds more.
    await expect.poll(() => sockets.filter((s) => s.closed).length, { timeout: 5000 }).toBeGreaterThan(1000)
    const held = await new Promise<number>((resolve, reject) => running.server.getConnections((e, n) => (e ? reject(e) : resolve(n))))
    expect(held).toBeLessThanOrEqual(100)
    sockets.forEach((s) => s.destroy())
    await expect.poll(async () => (await fetch(`${running.url}/healthz`)).status, { timeout: 5000 }).toBe(200)
    expect((await fetch(`${running.url}/api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(validEvent()) })).status).toBe(201)
  })

  it('answers a malformed request line with 400 and keeps serving', async () => {
    const { answer } = await trickle('GARBAGE\r\n\r\n', () => null)
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200)
  })
})
