import { describe, expect, it } from 'vitest'
import { hostSources, policyTargets, strictPolicy } from '../src/csp'

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(name + ' '))?.split(' ').slice(1)

describe('hostSources: a rule as CSP sources', () => {
  it.each([
    ['ads.example', ['ads.example:*', '*.ads.example:*']],
    ['ADS.Example.', ['ads.example:*', '*.ads.example:*']],
    ['127.0.0.1:8080', ['127.0.0.1:8080', '*.127.0.0.1:8080']],
    ['bücher.example', ['xn--bcher-kva.example:*', '*.xn--bcher-kva.example:*']],
    ['cdn.example/pixel', ['cdn.example:*/pixel', 'cdn.example:*/pixel/', '*.cdn.example:*/pixel', '*.cdn.example:*/pixel/']],
    ['cdn.example/tags/', ['cdn.example:*/tags/', '*.cdn.example:*/tags/']],
  ])('%s', (match, sources) => {
    expect(hostSources(match)).toEqual(sources)
  })

  it('has no answer for a RegExp, which a policy cannot express', () => {
    expect(hostSources(/ads/)).toBeNull()
  })
})

describe('strictPolicy', () => {
  const config = {
    categories: ['necessary', 'analytics', 'marketing', { id: 'partners', services: [{ id: 'kiln-films', name: 'Kiln Films', match: ['video.kiln.example'] }] }],
    rules: [
      { match: 'cdn.shop.example', category: 'necessary' },
      { match: 'stats.example', category: 'analytics' },
      { match: 'ads.example', category: 'marketing' },
    ],
    endpoint: 'https://log.example/api/consent',
  }

  it('allows self, required hosts and the SDK\'s endpoint before any grant, nothing ruled for optional categories', () => {
    const policy = strictPolicy(config, [], ['https://cdn.sdk.example/dist/'])
    for (const d of ['default-src', 'script-src', 'img-src', 'form-action']) {
      const sources = directive(policy, d)!
      expect(sources, d).toEqual(expect.arrayContaining(["'self'", 'cdn.shop.example:*', 'https://log.example', 'https://cdn.sdk.example']))
      expect(sources.join(' '), d).not.toMatch(/stats|ads\.example|kiln/)
    }
    expect(policy).toContain("base-uri 'self'")
  })

  it('adds the hosts of each granted category or service, and only those', () => {
    const policy = strictPolicy(config, ['analytics', 'kiln-films'])
    const sources = directive(policy, 'default-src')!
    expect(sources).toEqual(expect.arrayContaining(['stats.example:*', '*.stats.example:*', 'video.kiln.example:*']))
    expect(sources.join(' ')).not.toContain('ads.example')
  })

  it('lets a WebSocket reach a granted host (a source without a scheme never matches ws: or wss:), and only a granted one', () => {
    const sockets = directive(strictPolicy(config, ['analytics']), 'connect-src')!
    expect(sockets).toEqual(expect.arrayContaining(["'self'", 'stats.example:*', 'ws://stats.example:*', 'ws://*.stats.example:*', 'ws://cdn.shop.example:*', 'https://log.example']))
    expect(sockets.join(' ')).not.toContain('ads.example')
  })

  it('keeps inline code and data: images working: strict mode decides hosts, the JS gate the rest', () => {
    const policy = strictPolicy(config, [])
    expect(directive(policy, 'script-src')).toEqual(expect.arrayContaining(["'unsafe-inline'", "'unsafe-eval'"]))
    expect(directive(policy, 'img-src')).toEqual(expect.arrayContaining(['data:', 'blob:']))
    expect(directive(policy, 'frame-src')).toBeUndefined()
  })

  it('treats a required category\'s services and rules as always allowed', () => {
    const targets = policyTargets({ categories: [{ id: 'basics', required: true, services: [{ id: 'pay', match: ['pay.example'] }] }], rules: [{ match: 'x.example', category: 'basics' }] })
    expect(targets).toEqual([['pay.example', null], ['x.example', null]])
  })
})
