import { describe, expect, it } from 'vitest'
import { didYouMean, distance } from '../src/did-you-mean'

describe('did you mean', () => {
  it('counts one edit per insertion, deletion, substitution or swap of neighbours, ignoring case', () => {
    expect(distance('polcyUrl', 'policyUrl')).toBe(1)
    expect(distance('lable', 'label')).toBe(1)
    expect(distance('Endpoint', 'endpoint')).toBe(0)
    expect(distance('cat', 'dog')).toBe(3)
    expect(distance('', 'abc')).toBe(3)
  })

  it('suggests the closest candidate for a typo', () => {
    expect(didYouMean('polcyUrl', ['policyVersion', 'policyUrl', 'endpoint'])).toBe('policyUrl')
    expect(didYouMean('markting', ['necessary', 'analytics', 'marketing', 'partners'])).toBe('marketing')
    expect(didYouMean('bannerTitel', ['bannerTitle', 'bannerText'])).toBe('bannerTitle')
  })

  it('suggests nothing when no candidate is within a third of the word', () => {
    expect(didYouMean('zzzz', ['categories', 'policyVersion'])).toBeNull()
    expect(didYouMean('ads', ['necessary', 'analytics', 'marketing'])).toBeNull()
  })
})
