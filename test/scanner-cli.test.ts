// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT, main, parseArgs } from '../scanner/cli.mjs'

const io = () => {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } }
}

describe('minopio-scan arguments', () => {
  it('takes several URLs with the documented defaults', () => {
    expect(parseArgs(['https://a.example/', 'https://b.example/x'])).toEqual({
      help: false, urls: ['https://a.example/', 'https://b.example/x'], json: false, html: null, baseline: null,
      options: { allow: [], allowCookies: [], timeout: 15000, wait: 1500, crawl: 0 },
    })
  })

  it('repeats --allow and --allow-cookie, and reads every option', () => {
    const args = parseArgs(['--allow', 'CDN.example', '--allow=127.0.0.1:8081', '--allow-cookie', 'session', '--json',
      '--html', 'out.html', '--timeout', '2000', '--wait', '0', '--crawl', '5', 'http://site.example/'])
    expect(args).toEqual({
      help: false, urls: ['http://site.example/'], json: true, html: 'out.html', baseline: null,
      options: { allow: ['cdn.example', '127.0.0.1:8081'], allowCookies: ['session'], timeout: 2000, wait: 0, crawl: 5 },
    })
  })

  it('refuses a missing URL, an unknown option and a number that is not a whole number', () => {
    expect(() => parseArgs([])).toThrow('no URL to scan')
    expect(() => parseArgs(['--bogus', 'http://a.example/'])).toThrow("'--bogus'")
    expect(() => parseArgs(['--wait', '1.5', 'http://a.example/'])).toThrow('--wait takes a whole number of milliseconds, got "1.5"')
    expect(() => parseArgs(['--crawl', '-1', 'http://a.example/'])).toThrow()
    expect(() => parseArgs(['--timeout', '0', 'http://a.example/'])).toThrow('--timeout must be at least 1 ms')
    expect(() => parseArgs(['http://a.example/', '--html'])).toThrow()
    expect(() => parseArgs(['--baseline=', 'http://a.example/'])).toThrow('--baseline needs the file of an earlier --json report')
  })

  it('exits 2 before starting any browser when the --baseline file is missing or not a scan report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minopio-baseline-'))
    try {
      writeFileSync(join(dir, 'other.json'), '{"tool":"other"}')
      for (const [file, why] of [['missing.json', 'no such file'], ['other.json', 'not a minopio-scan --json report']]) {
        const { out, io: streams } = io()
        expect(await main(['--baseline', join(dir, file), 'http://a.example/'], streams)).toBe(EXIT.usage)
        expect(out.stderr).toContain(why)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exits 2 with a short message on a usage error, before starting any browser', async () => {
    const { out, io: streams } = io()
    expect(await main(['--wait', 'soon', 'http://a.example/'], streams)).toBe(EXIT.usage)
    expect(out.stderr).toBe('minopio-scan: --wait takes a whole number of milliseconds, got "soon"\nRun `minopio-scan --help` for the options.\n')
    expect(out.stdout).toBe('')
  })

  it('prints the help with every option and the exit codes, and exits 0', async () => {
    const { out, io: streams } = io()
    expect(await main(['--help'], streams)).toBe(EXIT.clean)
    for (const option of ['--json', '--html', '--baseline', '--allow', '--allow-cookie', '--timeout', '--wait', '--crawl']) expect(out.stdout).toContain(option)
    expect(out.stdout).toContain('Exit code: 0 clean, 1 violations found or a page could not be checked, 2 usage error')
  })

  it('exits 2 and says how to get a browser when no Chromium exists', async () => {
    const saved = process.env.CHROMIUM_PATH
    process.env.CHROMIUM_PATH = '/nonexistent/chromium'
    try {
      const { out, io: streams } = io()
      expect(await main(['http://a.example/'], streams)).toBe(EXIT.usage)
      expect(out.stderr).toContain('[minopio-scan] no Chromium found')
      expect(out.stderr).toContain('CHROMIUM_PATH')
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = saved
    }
  })
})
