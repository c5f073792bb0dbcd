// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { DEFAULT_CATEGORIES, validateEvent } from '../collector/src/validate'
import { LOG_MAX_BODY_BYTES, LOG_MAX_CATEGORIES } from '../src/log-limits'
import { validEvent } from './collector-harness'

const NOW = Date.parse('2026-12-01T12:00:00.000Z')
const context = { categories: DEFAULT_CATEGORIES, now: NOW }
const check = (over: Record<string, unknown>) => validateEvent(JSON.parse(JSON.stringify(validEvent({ timestamp: '2026-11-30T12:00:00.000Z', ...over }))), context)

describe('the shape of an event', () => {
  it('accepts a valid event, a first decision (previous null) and an API call (shown null)', () => {
    expect(check({})).toBeNull()
    expect(check({ previous: null, shown: null, source: 'api', action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true, partners: true } })).toBeNull()
  })

  it('accepts services beside categories, and an event of the first release without them', () => {
    expect(check({ services: { 'kiln-films': true, pixelwave: false } })).toBeNull()
    expect(check({ services: {} })).toBeNull()
    expect(check({ services: undefined })).toBeNull()
  })

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['eventId missing', { eventId: undefined }, 'eventId'],
    ['eventId not a UUID', { eventId: 'abc' }, 'eventId'],
    ['eventId a UUIDv1', { eventId: 'c232ab00-9414-11ec-b3c8-9f68deced846' }, 'eventId'],
    ['eventId a number', { eventId: 42 }, 'eventId'],
    ['consentId uppercase', { consentId: crypto.randomUUID().toUpperCase() }, 'consentId'],
    ['timestamp not ISO', { timestamp: 'yesterday' }, 'timestamp'],
    ['timestamp an impossible date', { timestamp: '2026-02-30T12:00:00.000Z' }, 'timestamp'],
    ['timestamp a number', { timestamp: 1764331200000 }, 'timestamp'],
    ['unknown action', { action: 'accept_some' }, 'action'],
    ['unknown source', { source: 'email' }, 'source'],
    ['categories an array', { categories: ['analytics'] }, 'categories'],
    ['categories with a string value', { categories: { necessary: true, analytics: 'yes' } }, 'categories'],
    ['categories empty', { categories: {} }, 'categories'],
    ['categories with a bad id', { categories: { 'Ads<>': true } }, 'categories'],
    ['categories with a __proto__ key', { categories: JSON.parse('{"necessary":true,"__proto__":{"polluted":true}}') }, 'categories'],
    ['too many categories', { categories: Object.fromEntries(Array.from({ length: LOG_MAX_CATEGORIES + 1 }, (_, i) => [`c${i}`, false])) }, 'categories'],
    ['services an array', { services: ['kiln-films'] }, 'services'],
    ['services with a string value', { services: { 'kiln-films': 'yes' } }, 'services'],
    ['services with a bad id', { services: { 'Kiln Films': true } }, 'services'],
    ['services granted after reject_all', { action: 'reject_all', categories: { necessary: true, analytics: false, marketing: false, partners: false }, services: { 'kiln-films': true } }, 'services'],
    ['previous a boolean', { previous: false }, 'previous'],
    ['previous with a number value', { previous: { analytics: 1 } }, 'previous'],
    ['policyVersion empty', { policyVersion: '' }, 'policyVersion'],
    ['policyVersion a number', { policyVersion: 2024 }, 'policyVersion'],
    ['language not a tag', { language: 'french!' }, 'language'],
    ['page with a query string', { page: 'https://www.minopio.example/shop?email=a@b.c' }, 'page'],
    ['page with a fragment', { page: 'https://www.minopio.example/shop#token' }, 'page'],
    ['page with credentials', { page: 'https://user:pw@www.minopio.example/shop' }, 'page'],
    ['page not http(s)', { page: 'javascript:alert(1)' }, 'page'],
    ['page relative', { page: '/shop' }, 'page'],
    ['gpc a string', { gpc: 'false' }, 'gpc'],
    ['sdkVersion not a version', { sdkVersion: 'latest' }, 'sdkVersion'],
    ['shown.texts not 64 hex', { shown: { texts: 'abc', lang: 'fr' } }, 'shown'],
    ['shown with an extra key', { shown: { texts: 'a'.repeat(64), lang: 'fr', html: '<b>' } }, 'shown'],
    ['shown a string', { shown: 'a'.repeat(64) }, 'shown'],
    ['an unknown field', { email: 'a@b.c' }, 'email'],
  ]
  it.each(bad)('refuses %s, naming the field', (_name, over, field) => {
    const problem = check(over)
    expect(problem?.field).toBe(field)
    expect(problem?.error).toContain(field)
  })

  it('refuses a top-level __proto__ key as an unknown field without touching any prototype', () => {
    const body = JSON.parse(JSON.stringify(validEvent()).replace(/^\{/, '{"__proto__":{"admin":true},'))
    expect(validateEvent(body, context)).toEqual({ error: 'unknown field "__proto__"', field: '__proto__' })
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })

  it.each([['an array', [1]], ['null', null], ['a string', 'event']])('refuses a body that is %s', (_name, body) => {
    expect(validateEvent(body, context)).toEqual({ error: 'the body must be a JSON object', field: null })
  })

  it('shares its body limit with the SDK through src/log-limits.ts', () => {
    expect(LOG_MAX_BODY_BYTES).toBe(16 * 1024)
  })
})

describe('what an event means', () => {
  it('refuses necessary off: necessary cookies are always on', () => {
    expect(check({ categories: { necessary: false, analytics: true } })?.error).toMatch(/necessary must be true/)
    expect(check({ categories: { analytics: true } })?.field).toBe('categories')
  })

  it.each(['reject_all', 'withdraw'])('refuses %s with an optional category granted', (action) => {
    expect(check({ action, categories: { necessary: true, analytics: false, marketing: true, partners: false } })).toEqual({
      error: `categories.marketing must be false after ${action}`, field: 'categories',
    })
    expect(check({ action, categories: { necessary: true, analytics: false, marketing: false, partners: false } })).toBeNull()
  })

  it('refuses categories the site does not configure, in categories or previous', () => {
    expect(check({ categories: { necessary: true, ads: true } })).toEqual({
      error: 'categories.ads is not a configured category (have: necessary, analytics, marketing, partners)', field: 'categories',
    })
    expect(check({ previous: { necessary: true, ads: false } })?.field).toBe('previous')
    expect(validateEvent(validEvent({ timestamp: new Date(NOW).toISOString(), categories: { necessary: true, ads: true }, previous: null }),
      { categories: ['necessary', 'ads'], now: NOW })).toBeNull()
  })

  it.each([
    ['dated tomorrow', '2026-12-02T12:00:00.000Z', false],
    ['11 minutes ahead (a clock running fast by more than the skew)', '2026-12-01T12:11:00.000Z', false],
    ['5 minutes ahead', '2026-12-01T12:05:00.000Z', true],
    ['30 days old (still in an outbox)', '2026-11-01T12:00:00.000Z', true],
    ['40 days old', '2026-10-22T12:00:00.000Z', false],
  ])('judges a timestamp %s', (_name, timestamp, ok) => {
    const problem = check({ timestamp })
    if (ok) expect(problem).toBeNull()
    else expect(problem?.field).toBe('timestamp')
  })

  it.each([
    ['40 days old (the clock ran behind at the click)', '2026-10-22T12:00:00.000Z'],
    ['3 days ahead (the clock ran ahead at the click)', '2026-12-04T12:00:00.000Z'],
  ])('takes a timestamp %s from an SDK that sends sentAt: the receive time is the authoritative one', (_name, timestamp) => {
    expect(check({ timestamp, sentAt: '2026-12-01T11:59:59.000Z' })).toBeNull()
  })

  it.each([['not ISO', 'now'], ['a number', 1764590399000], ['null', null]])('refuses a sentAt that is %s, naming it', (_name, sentAt) => {
    expect(check({ sentAt })).toEqual({ error: 'sentAt must be an ISO 8601 UTC time like 2026-11-28T12:00:00.000Z', field: 'sentAt' })
  })
})
