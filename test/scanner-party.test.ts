// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { isAllowed, isThirdParty, isThirdPartyDomain, siteOf } from '../scanner/party.mjs'

describe('who is a third party', () => {
  it('treats subdomains of the same registrable domain as the site itself', () => {
    expect(siteOf('https://shop.minopio.com/a')).toBe('minopio.com')
    expect(isThirdParty('https://static.minopio.com/app.js', 'https://www.minopio.com/')).toBe(false)
    expect(isThirdParty('https://www.googletagmanager.com/gtm.js', 'https://www.minopio.com/')).toBe(true)
  })

  it('keeps one more label under two-letter country suffixes like co.uk', () => {
    expect(siteOf('https://www.shop.co.uk/')).toBe('shop.co.uk')
    expect(isThirdParty('https://tracker.co.uk/p.gif', 'https://www.shop.co.uk/')).toBe(true)
  })

  it('tells local servers on two ports apart, as two parties', () => {
    expect(isThirdParty('http://127.0.0.1:9002/t.js', 'http://127.0.0.1:9001/')).toBe(true)
    expect(isThirdParty('http://127.0.0.1:9001/app.js', 'http://127.0.0.1:9001/')).toBe(false)
    expect(isThirdParty('http://localhost:3001/t.js', 'http://localhost:3000/')).toBe(true)
  })

  it('judges a cookie domain by site, ignoring a leading dot', () => {
    expect(isThirdPartyDomain('.minopio.com', 'https://www.minopio.com/')).toBe(false)
    expect(isThirdPartyDomain('.doubleclick.net', 'https://www.minopio.com/')).toBe(true)
    expect(isThirdPartyDomain('127.0.0.1', 'http://127.0.0.1:9001/')).toBe(false)
  })

  it('allows a host and its subdomains, or one exact port when the entry has one', () => {
    expect(isAllowed('cdn.example', ['cdn.example'])).toBe(true)
    expect(isAllowed('eu.cdn.example:443', ['cdn.example'])).toBe(true)
    expect(isAllowed('evilcdn.example', ['cdn.example'])).toBe(false)
    expect(isAllowed('127.0.0.1:8081', ['127.0.0.1:8081'])).toBe(true)
    expect(isAllowed('127.0.0.1:8082', ['127.0.0.1:8081'])).toBe(false)
    expect(isAllowed('ads.example', [])).toBe(false)
  })
})
