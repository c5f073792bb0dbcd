// The package as a frontend developer gets it: `npm pack` → install into a fresh folder → TypeScript under each
// module resolution mode, plain Node imports (server-side rendering), and the runtime dependencies it pulls in.
// Needs `npm run build` first (`npm test` does it). Slow (an npm install): its own vitest project, `package`.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = resolve(__dirname, '..')
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const MODES = ['bundler', 'node16', 'nodenext'] as const
let dir: string
let tarball: string

interface Outcome { code: number; output: string }
/** Runs a command in the consumer folder; a failing exit is an outcome, not a throw. */
async function inConsumer(file: string, args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: dir, maxBuffer: 16 << 20 })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

const FIXTURES: Record<string, string> = {
  // Everything a typed site uses: values, types, callbacks typed from the package (noImplicitAny catches `any`).
  'src/app.ts': `
import { createConsent, DOM_EVENT, resolveConfig } from '@minopio/consent'
import type { ConsentApi, ConsentConfig, ConsentState } from '@minopio/consent'
import { mountConsentUI, BUILT_IN_TEXTS } from '@minopio/consent/ui'
import type { Texts } from '@minopio/consent/ui'

const config: ConsentConfig = { policyVersion: '2024-05', policyUrl: '/privacy', categories: ['necessary', 'analytics'] }
const consent: ConsentApi = createConsent(config)
consent.on('change', (state) => {
  const granted: boolean = state.categories.analytics
  // ConsentState narrows on decided; the last change is its own field
  const at: number = state.decided ? state.updatedAt : 0
  const eventId: string | undefined = state.change?.eventId
  void [granted, at, eventId]
})
export const ready: Promise<ConsentState> = consent.ready
export const texts: Texts = BUILT_IN_TEXTS.en
export const problems: string[] = resolveConfig({ config }).problems
export const event: string = DOM_EVENT
void mountConsentUI
`,
  // The script-tag install, with the opt-in window types.
  'src/global.ts': `
import type {} from '@minopio/consent/global'

window.minopioConsentConfig = { policyVersion: '2024-05', categories: ['necessary', 'marketing'] }
export const marketing: boolean = window.MinopioConsent.has('marketing')
window.MinopioConsent.on('ready', (state) => console.log(state.decided))
`,
  // Must NOT compile: a misspelt key (the config type is closed, so excess-property checks name it).
  'src/misspelt.ts': `
import { createConsent } from '@minopio/consent'

createConsent({ polcyUrl: '/privacy' })
`,
}

const tsconfig = (mode: (typeof MODES)[number], files: string[], skipLibCheck: boolean) => ({
  compilerOptions: {
    target: 'ES2022',
    module: mode === 'bundler' ? 'ESNext' : mode === 'node16' ? 'Node16' : 'NodeNext',
    moduleResolution: mode === 'bundler' ? 'Bundler' : mode === 'node16' ? 'Node16' : 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    skipLibCheck,
    types: [],
  },
  files,
})

/** Type-checks fixture files against the installed package under one resolution mode. */
async function typecheck(mode: (typeof MODES)[number], files: string[], skipLibCheck = false): Promise<Outcome> {
  const name = `tsconfig.${mode}.${files.length}.${skipLibCheck}.json`
  writeFileSync(join(dir, name), JSON.stringify(tsconfig(mode, files, skipLibCheck)))
  return inConsumer(process.execPath, [TSC, '-p', name])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minopio-consumer-'))
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 << 20 })
  tarball = join(dir, JSON.parse(stdout)[0].filename)
  // A consumer that is an ES module package: what node16/nodenext need to import an ESM-only package.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  mkdirSync(join(dir, 'src'))
  for (const [file, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, file), text)
  // The dependencies come from npm's cache when this machine installed the repo (same pinned versions).
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: dir })
}, 300_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the packed package', () => {
  it('ships the SDK without the scanner, and pulls in exactly preact, nanostores and js-cookie', async () => {
    const installed = join(dir, 'node_modules/@minopio/consent')
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json'])
    const { output } = await inConsumer('npm', ['ls', '--omit=dev', '--all', '--json'])
    const deps = JSON.parse(output).dependencies['@minopio/consent'].dependencies
    expect(Object.keys(deps).sort()).toEqual(['js-cookie', 'nanostores', 'preact'])
    expect(readdirSync(join(dir, 'node_modules'))).not.toContain('playwright-core')
  })

  for (const mode of MODES) {
    it(`type-checks a site's code under moduleResolution "${mode}", the package's own declarations included`, async () => {
      const result = await typecheck(mode, ['src/app.ts', 'src/global.ts'])
      expect(result.output).toBe('')
      expect(result.code).toBe(0)
    })

    it(`rejects a misspelt config key under "${mode}", even with skipLibCheck`, async () => {
      const result = await typecheck(mode, ['src/misspelt.ts'], true)
      expect(result.code).not.toBe(0)
      expect(result.output).toMatch(/src\/misspelt\.ts\(4,17\): error TS\d+: .*'polcyUrl'/)
    })
  }

  it('imports both entry points in plain Node without touching browser globals; createConsent() says it needs a browser', async () => {
    const script = `
      const core = await import('@minopio/consent')
      const ui = await import('@minopio/consent/ui')
      const touched = ['window', 'document', 'location'].filter((g) => g in globalThis)
      let error = null
      try { core.createConsent({ policyVersion: '2024-05' }) } catch (e) { error = e.constructor.name + ': ' + e.message }
      console.log(JSON.stringify({ core: typeof core.createConsent, ui: typeof ui.mountConsentUI, touched, error }))`
    const result = await inConsumer(process.execPath, ['--input-type=module', '-e', script])
    expect(result.code).toBe(0)
    const got = JSON.parse(result.output)
    expect(got).toMatchObject({ core: 'function', ui: 'function', touched: [] })
    expect(got.error).toMatch(/^Error: \[minopio-consent\] createConsent\(\) needs a browser/)
  })
})
