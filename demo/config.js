window.minopioConsentConfig = {
  endpoint: '/api/consent',
  policyVersion: '2024-05',
  policyUrl: '/privacy',
}
