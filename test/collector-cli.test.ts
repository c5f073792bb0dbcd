// @vitest-environment node
// The `minopio-collector` command as an operator runs it: the built bin in child processes, killed with SIGKILL
// mid-load, restarted, then checked with `verify`.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../collector/src/store'
import { ENGINES, validEvent } from './collector-harness'
import type { Database } from './collector-harness'

const BIN = 'collector/bin/minopio-collector.mjs'
const EVENTS = 5000
const CLIENTS = 50
const UNLIMITED = ['--rate-ip', '100000', '--burst-ip', '100000', '--rate-consent', '1000', '--burst-consent', '1000']

beforeAll(() => {
  // The bin runs the compiled collector: build it from the sources under test.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'collector'], { stdio: 'inherit' })
}, 120_000)

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number }
    s.close(() => resolve(port))
  })
})

/** Starts `minopio-collector serve` and resolves once its JSON log says it listens. */
function serve(db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, '--db', db, '--port', String(port), ...UNLIMITED], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes('"msg":"listening"')) resolve(child)
    })
    child.once('exit', (code) => reject(new Error(`collector exited with ${code} before listening`)))
  })
}

/**
 * Posts EVENTS events from CLIENTS clients; each event is posted until a 2xx, switching to the next url after a
 * network error (as a load balancer would). `midway` runs once half the events are acknowledged.
 * @returns the eventIds acknowledged with a 2xx and every eventId sent
 */
async function load(urls: () => string[], midway: () => Promise<void>) {
  const acked = new Set<string>()
  const sent = new Set<string>()
  let next = 0
  let midwayDone: Promise<void> | null = null
  const client = async (c: number) => {
    const consentId = crypto.randomUUID()
    while (next < EVENTS) {
      next++
      const event = validEvent({ consentId })
      sent.add(event.eventId)
      for (let attempt = 0; ; attempt++) {
        const list = urls()
        const url = list[(c + attempt) % list.length]
        const status = await fetch(`${url}/api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) })
          .then((r) => r.status, () => 0)
        if (status === 201 || status === 200) break
        if (status !== 0 && status !== 503) throw new Error(`unexpected ${status}`)
        await new Promise((done) => setTimeout(done, 50))
      }
      acked.add(event.eventId)
      if (acked.size === EVENTS / 2) midwayDone = midway()
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)))
  await midwayDone
  return { acked, sent }
}

async function storedIds(db: string) {
  const store = await openStore(db)
  try {
    const ids: string[] = []
    let after: number | null = 0
    while (after !== null) {
      const page: { events: { eventId: string }[]; next: number | null } = await store.list({ after, limit: 5000 })
      ids.push(...page.events.map((e) => e.eventId))
      after = page.next
    }
    return ids
  } finally {
    await store.close()
  }
}

const verify = (db: string) => spawnSync(process.execPath, [BIN, 'verify', '--db', db], { encoding: 'utf8' })

describe.each(ENGINES)('minopio-collector on %s', (engine, fresh) => {
  let database: Database
  const children: ChildProcess[] = []
  beforeAll(async () => {
    database = await fresh()
  })
  afterAll(async () => {
    children.forEach((c) => c.kill('SIGKILL'))
    await database.drop()
  })

  it(`loses no acknowledged event when killed with SIGKILL mid-load (${engine === 'sqlite' ? 'one instance, restarted' : 'two instances, one killed'})`, async () => {
    const ports = engine === 'sqlite' ? [await freePort()] : [await freePort(), await freePort()]
    for (const port of ports) children.push(await serve(database.db, port))
    let urls = ports.map((p) => `http://127.0.0.1:${p}`)
    const { acked, sent } = await load(() => urls, async () => {
      children[0].kill('SIGKILL')
      if (engine === 'sqlite') children[0] = await serve(database.db, ports[0]) // the same file, the same port
      else urls = urls.slice(1) // the balancer takes the dead instance out
    })
    const stored = await storedIds(database.db)
    expect(acked.size).toBe(EVENTS)
    expect(new Set(stored).size).toBe(stored.length) // none twice
    expect(stored.length).toBe(sent.size) // every event sent got stored once, acknowledged or resent
    expect(stored.filter((id) => acked.has(id)).length).toBe(acked.size)
  }, 120_000)

  it('verify exits 0 on the log just written, 1 with the break named once an event is edited', async () => {
    const ok = verify(database.db)
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, events: EVENTS, breaks: [] })
    const store = await openStore(database.db)
    await store.sql.run(`UPDATE consent_events SET body = REPLACE(body, '"gpc":false', '"gpc":true') WHERE seq = 10`)
    await store.close()
    const broken = verify(database.db)
    expect(broken.status).toBe(1)
    expect(JSON.parse(broken.stdout).breaks[0].problem).toMatch(/edited/)
  }, 60_000)
})

describe('minopio-collector checkpoint and prune', () => {
  it('checkpoints the heads, prunes everything past --retain-days, and the log still verifies', async () => {
    const database = await ENGINES[0][1]()
    try {
      const store = await openStore(database.db)
      for (let i = 0; i < 3; i++) await store.insert(validEvent() as never, new Date(Date.now() - 2 * 86_400_000).toISOString())
      await store.close()
      const checkpoint = spawnSync(process.execPath, [BIN, 'checkpoint', '--db', database.db], { encoding: 'utf8' })
      expect(JSON.parse(checkpoint.stdout).heads).toHaveLength(3)
      const prune = spawnSync(process.execPath, [BIN, 'prune', '--retain-days', '1', '--db', database.db], { encoding: 'utf8' })
      expect(JSON.parse(prune.stdout)).toEqual({ deleted: 3 })
      expect(JSON.parse(verify(database.db).stdout)).toMatchObject({ ok: true, chains: 3, events: 0, checkpoints: 1 })
    } finally {
      await database.drop()
    }
  })
})

describe('minopio-collector usage errors', () => {
  it('exits 2 saying what is wrong and how to call it', () => {
    const run = spawnSync(process.execPath, [BIN, 'frobnicate'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('unknown command "frobnicate": use serve, verify, checkpoint or prune')
    const prune = spawnSync(process.execPath, [BIN, 'prune'], { encoding: 'utf8' })
    expect(prune.status).toBe(2)
    expect(prune.stderr).toContain('prune needs --retain-days <n>')
    const dir = mkdtempSync(join(tmpdir(), 'collector-cli-'))
    try {
      const port = spawnSync(process.execPath, [resolve(BIN), '--port', 'eighty'], { encoding: 'utf8', cwd: dir })
      expect(port.status).toBe(2)
      expect(port.stderr).toContain('--port must be a number ≥ 0, got "eighty"')
      expect(readdirSync(dir)).toEqual([]) // no ./consent.db left behind by a mistyped flag
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
