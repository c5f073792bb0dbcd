// `minopio-collector`: serve, verify, checkpoint, prune. Flags map one to one onto the server's options.
import { parseArgs } from 'node:util'
import { DEFAULT_RATE_LIMITS } from './handler.js'
import { jsonLogger } from './log.js'
import { startCollector } from './server.js'
import { openStore } from './store.js'
import { DEFAULT_CATEGORIES } from './validate.js'
import { verifyStore } from './verify.js'

/** The usage text `--help` prints. */
export const USAGE = `minopio-collector — the consent-log collector of Minopio Consent

  minopio-collector [serve] [options]     receive consent events
  minopio-collector verify [--db …]       walk every hash chain and checkpoint; exit 1 on any break
  minopio-collector checkpoint [--db …]   record a checkpoint over the chain heads now
  minopio-collector prune --retain-days N [--db …]

Options:
  --db <file | postgres://…>   SQLite file (default ./consent.db) or a PostgreSQL URL  [env MINOPIO_COLLECTOR_DB]
  --port <n>                   default 8080
  --listen <address>           default 127.0.0.1
  --origin <origin>            a site origin allowed by CORS, repeatable ('*' = any, without credentials)
  --credentials                allow credentialed requests from the configured origins
  --host-name <name>           a Host the collector answers to, repeatable (default: any)
  --category <id>              a configured category, repeatable (default: ${DEFAULT_CATEGORIES.join(', ')})
  --admin-token <token>        turns on /admin, /admin/export, /admin/erase  [env MINOPIO_COLLECTOR_ADMIN_TOKEN]
  --retain-days <n>            delete events older than this (hourly)
  --checkpoint-minutes <n>     default 10; 0 = off
  --max-connections <n>        default 1000
  --rate-ip <n/s>  --burst-ip <n>            default ${DEFAULT_RATE_LIMITS.ipRate} / ${DEFAULT_RATE_LIMITS.ipBurst}
  --rate-consent <n/s>  --burst-consent <n>  default ${DEFAULT_RATE_LIMITS.consentRate} / ${DEFAULT_RATE_LIMITS.consentBurst}
  --trust-proxy                take the client IP from X-Forwarded-For (behind one reverse proxy)
`

const OPTIONS = {
  db: { type: 'string' }, port: { type: 'string' }, listen: { type: 'string' }, origin: { type: 'string', multiple: true },
  credentials: { type: 'boolean' }, 'host-name': { type: 'string', multiple: true }, category: { type: 'string', multiple: true },
  'admin-token': { type: 'string' }, 'retain-days': { type: 'string' }, 'checkpoint-minutes': { type: 'string' },
  'max-connections': { type: 'string' }, 'rate-ip': { type: 'string' }, 'burst-ip': { type: 'string' },
  'rate-consent': { type: 'string' }, 'burst-consent': { type: 'string' }, 'trust-proxy': { type: 'boolean' }, help: { type: 'boolean' },
} as const

/** A CLI mistake: the message says what is wrong and how to fix it; the process exits 2. */
export class UsageError extends Error {}

function number(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number ≥ 0, got "${raw}"`)
  return value
}

/**
 * Runs the CLI.
 * @param argv the arguments after the program name
 * @param env the environment (for the database URL and the admin token, kept out of `ps`)
 * @returns the exit code once done; `serve` resolves only after SIGINT / SIGTERM
 * @example await runCli(['verify', '--db', './consent.db'], process.env)
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed
  if (values.help) return void process.stdout.write(USAGE), 0
  const command = positionals[0] ?? 'serve'
  if (!['serve', 'verify', 'checkpoint', 'prune'].includes(command) || positionals.length > 1) {
    throw new UsageError(`unknown command "${positionals.join(' ')}": use serve, verify, checkpoint or prune\n\n${USAGE}`)
  }
  const retainDays = number(values, 'retain-days')
  if (command === 'prune' && retainDays === undefined) throw new UsageError('prune needs --retain-days <n>')
  // Every flag is checked before the database is opened: a mistyped flag must not leave a new database file behind.
  const settings = {
    port: number(values, 'port') ?? 8080, listenHost: values.listen, origins: values.origin, credentials: values.credentials,
    hosts: values['host-name']?.map((h) => h.toLowerCase()), categories: values.category,
    adminToken: values['admin-token'] ?? env.MINOPIO_COLLECTOR_ADMIN_TOKEN, retainDays,
    checkpointMinutes: number(values, 'checkpoint-minutes'), maxConnections: number(values, 'max-connections'),
    trustProxy: values['trust-proxy'], logger: jsonLogger,
    rateLimits: {
      ipRate: number(values, 'rate-ip'), ipBurst: number(values, 'burst-ip'),
      consentRate: number(values, 'rate-consent'), consentBurst: number(values, 'burst-consent'),
    },
  }
  const store = await openStore(values.db ?? env.MINOPIO_COLLECTOR_DB ?? './consent.db')
  if (command !== 'serve') {
    try {
      if (command === 'verify') {
        const report = await verifyStore(store)
        process.stdout.write(JSON.stringify(report, null, 2) + '\n')
        return report.ok ? 0 : 1
      }
      const result = command === 'checkpoint'
        ? await store.checkpoint(new Date().toISOString())
        : { deleted: await store.prune(new Date(Date.now() - retainDays! * 86_400_000).toISOString()) }
      process.stdout.write(JSON.stringify(result) + '\n')
      return 0
    } finally {
      await store.close()
    }
  }
  const running = await startCollector({ store, ...settings })
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await running.close()
  return 0
}
