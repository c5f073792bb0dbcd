// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { classify } from '../scanner/classify.mjs'
import type { VisitReport } from '../scanner/types.mjs'

type Phase = 'load' | 'decided' | 'reload'
const CATS = [{ id: 'necessary', required: true }, { id: 'analytics', required: false }, { id: 'marketing', required: false }]

const request = (host: string, path: string, phase: Phase, extra: Record<string, unknown> = {}) => ({
  url: `http://${host}${path}`, host, path, method: 'GET', type: 'script', initiator: { type: 'parser', url: 'http://site.example/' },
  phase, allowed: false, sdk: false, ...extra,
})
const cookie = (name: string, phase: Phase, extra: Record<string, unknown> = {}) => ({
  name, domain: 'site.example', thirdParty: false, setBy: 'script', phase, allowed: false, ...extra,
})
const tag = (url: string, state: string, category = 'marketing', extra: Record<string, unknown> = {}) => ({
  id: 1, kind: 'script', url, hash: null, snippet: null, category, categories: [category], via: 'markup', state, times: { blocked: 1 }, ...extra,
})
const visit = (name: 'none' | 'reject' | 'accept', parts: Record<string, unknown> = {}) => ({
  visit: name, error: null, status: 200, decidedBy: name === 'none' ? null : 'banner', reloaded: name !== 'none',
  firstPartyRequests: 3, requests: [], cookies: [], audit: [], ...parts,
}) as VisitReport

describe('classifying what a page did', () => {
  it('reports a third-party request before consent once, with every visit it happened in', () => {
    const leak = request('t.example', '/leak.js', 'load')
    const { violations } = classify({
      none: visit('none', { requests: [leak] }),
      reject: visit('reject', { requests: [leak, { ...leak, phase: 'reload' }] }),
      accept: visit('accept', { requests: [leak, { ...leak, phase: 'reload' }] }),
    }, CATS)
    expect(violations).toEqual([{
      kind: 'request', host: 't.example', what: '/leak.js', type: 'script', initiator: { type: 'parser', url: 'http://site.example/' },
      setBy: null, visits: ['none', 'reject', 'accept'], heldByGate: false, rule: null,
      fix: { text: expect.stringContaining('mark it up'), code: '<script type="text/plain" data-consent="marketing" src="http://t.example/leak.js"></script>' },
    }])
  })

  it('counts what happens after a reject as a violation, but not what happens after accept', () => {
    const { violations, afterAccept } = classify({
      none: visit('none'),
      reject: visit('reject', { requests: [request('ads.example', '/p.gif', 'decided')], cookies: [cookie('_fbp', 'reload')] }),
      accept: visit('accept', { requests: [request('ads.example', '/p.gif', 'decided')], cookies: [cookie('_fbp', 'reload')] }),
    }, CATS)
    expect(violations.map((v) => [v.kind, v.what, v.visits])).toEqual([['request', '/p.gif', ['reject']], ['cookie', '_fbp', ['reject']]])
    expect(afterAccept).toEqual([{ host: 'ads.example', paths: ['/p.gif'] }])
  })

  it('never flags allowed hosts, necessary cookies or the SDK itself', () => {
    const { violations } = classify({
      none: visit('none', {
        requests: [request('cdn.example', '/font.woff2', 'load', { allowed: true }), request('cdn.example', '/minopio-consent.js', 'load', { sdk: true })],
        cookies: [cookie('minopio_consent', 'load', { allowed: true })],
      }),
    }, CATS)
    expect(violations).toEqual([])
  })

  it('says when the gate held a tag but the browser fetched its file anyway', () => {
    const { violations } = classify({
      none: visit('none', { requests: [request('t.example', '/held.js', 'load')], audit: [tag('http://t.example/held.js', 'blocked')] }),
    }, CATS)
    expect(violations[0].heldByGate).toBe(true)
    expect(violations[0].fix?.code).toBe('<script type="text/plain" data-consent="marketing" src="http://t.example/held.js"></script>')
  })

  it('suggests a fix for each finding, ready to copy: a rule for a host nothing covers, markup for an HTML tag, clearOnRevoke for a cookie', () => {
    const byScript = request('px.ads.example', '/p.gif', 'load', { type: 'image', initiator: { type: 'script', url: 'http://t.example/loader.js' } })
    const covered = request('cdn.example', '/f.woff2', 'load', { type: 'font', initiator: { type: 'parser', url: 'http://site.example/' }, rule: 'analytics' })
    const inHtml = request('t.example', '/b.gif', 'load', { type: 'image' })
    const { violations } = classify({
      none: visit('none', { requests: [byScript, covered, inHtml], cookies: [cookie('_ga', 'load', { setBy: 'px.ads.example' })] }),
    }, [{ id: 'necessary', required: true }, { id: 'analytics', required: false }])
    expect(violations.map((v) => v.fix?.code)).toEqual([
      "{ match: 'px.ads.example', category: 'analytics' }",
      null,
      '<img data-consent="analytics" data-src="http://t.example/b.gif" alt="">',
      "clearOnRevoke: { analytics: ['_ga'] }",
    ])
    expect(violations[1].fix?.text).toContain('A rule (analytics) covers this URL')
    expect(violations[3].fix?.text).toContain('Set by a response from px.ads.example')
  })

  it('flags a gated tag of an optional category that ran before consent, not a necessary one', () => {
    const { violations } = classify({
      none: visit('none', { audit: [tag('http://t.example/a.js', 'loaded'), tag('http://t.example/n.js', 'loaded', 'necessary')] }),
      reject: visit('reject', { audit: [tag('http://t.example/a.js', 'released')] }),
    }, CATS)
    expect(violations).toEqual([{
      kind: 'tag', host: 't.example', what: 'http://t.example/a.js', type: 'script', initiator: null, setBy: null,
      visits: ['none', 'reject'], heldByGate: false, rule: null, fix: { text: expect.stringContaining('optional categories'), code: null },
    }])
  })

  it('lists tags still blocked or failed after accept all as under-firing, with a row per tag across visits', () => {
    const { underFiring, tags } = classify({
      none: visit('none', { audit: [tag('http://t.example/a.js', 'blocked'), tag('http://t.example/b.js', 'blocked', 'analytics')] }),
      reject: visit('reject', { audit: [tag('http://t.example/a.js', 'blocked'), tag('http://t.example/b.js', 'blocked', 'analytics')] }),
      accept: visit('accept', { audit: [tag('http://t.example/a.js', 'loaded'), tag('http://t.example/b.js', 'error', 'analytics')] }),
    }, CATS)
    expect(underFiring).toEqual([{ kind: 'script', url: 'http://t.example/b.js', snippet: null, category: 'analytics', state: 'error' }])
    expect(tags.map((t) => [t.url, t.states])).toEqual([
      ['http://t.example/a.js', { none: 'blocked', reject: 'blocked', accept: 'loaded' }],
      ['http://t.example/b.js', { none: 'blocked', reject: 'blocked', accept: 'error' }],
    ])
  })

  it('names the service of each tag and groups the tags by service, vendors first', () => {
    const cats = [{ id: 'necessary', required: true }, { id: 'marketing', required: false, services: [
      { id: 'kiln-films', name: 'Kiln Films', provider: 'Kiln Films Ltd' }, { id: 'pixelwave', name: 'Pixelwave', provider: null }] }]
    const { tags } = classify({
      none: visit('none', { audit: [
        tag('http://t.example/plain.js', 'blocked'),
        { ...tag('http://t.example/px.js', 'blocked'), services: ['pixelwave'] },
        { ...tag('http://t.example/v.html', 'blocked'), services: ['kiln-films'] },
      ] }),
    }, cats)
    expect(tags.map((t) => [t.service, t.url])).toEqual([
      ['Kiln Films (Kiln Films Ltd)', 'http://t.example/v.html'], ['Pixelwave', 'http://t.example/px.js'], [null, 'http://t.example/plain.js'],
    ])
  })

  it('claims no under-firing when the accept visit failed', () => {
    const { underFiring } = classify({ accept: visit('accept', { error: 'timeout', audit: [tag('http://t.example/a.js', 'blocked')] }) }, CATS)
    expect(underFiring).toEqual([])
  })
})
