import { afterEach, describe, expect, it } from 'vitest'
import { clearCookies, removeCookie, writeCookie } from '../src/cookie'
import { readCookie } from '../src/cookie-read'

const names = () => document.cookie.split('; ').filter(Boolean).map((c) => c.split('=')[0]).sort()

afterEach(() => {
  for (const n of names()) document.cookie = `${n}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
})

describe('cookies', () => {
  it('writes, reads and removes the consent cookie', () => {
    writeCookie('minopio_consent', '1.abc.def', { domain: null, maxAgeDays: 182 })
    expect(readCookie('minopio_consent')).toBe('1.abc.def')
    removeCookie('minopio_consent')
    expect(readCookie('minopio_consent')).toBeUndefined()
  })

  it('clears the cookies of a revoked category by name and by RegExp, and leaves the others', () => {
    for (const n of ['_fbp', '_gcl_au', '_gcl_aw', 'session', 'lang']) document.cookie = `${n}=1; path=/`
    expect(clearCookies(['_fbp', /^_gcl_/]).sort()).toEqual(['_fbp', '_gcl_au', '_gcl_aw'])
    expect(names()).toEqual(['lang', 'session'])
  })

  it('matches a global RegExp the same way on every cookie', () => {
    for (const n of ['_ga', '_ga_X1', '_gid']) document.cookie = `${n}=1; path=/`
    expect(clearCookies([/^_g/g]).length).toBe(3)
    expect(names()).toEqual([])
  })
})
