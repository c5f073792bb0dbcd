// Minopio's consent config. It lives in a same-origin file, loaded just before the gate, so the page can keep a strict
// CSP (script-src 'self'): no inline <script> is needed. The third-party origin comes from a <meta> the server fills in.
(function () {
  var tracker = /** @type {HTMLMetaElement} */ (document.querySelector('meta[name="minopio-demo-tracker"]')).content
  var at = function (/** @type {string} */ path) {
    return new RegExp('^' + tracker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + path)
  }
  window.minopioConsentConfig = {
    endpoint: '/api/consent',
    policyVersion: '2024-05',
    policyUrl: '/privacy',
    categories: [
      'necessary',
      { id: 'analytics', services: [{ name: 'Minopio Insights', cookies: ['_mi_id'] }] },
      { id: 'marketing', services: [{ name: 'Pixelwave ads', cookies: ['_pw_id'] }, { name: 'Kiln Films video player' }] },
      { id: 'partners', services: [{ name: 'Verifeo verified reviews' }] },
    ],
    // Auto-blocking: site.js injects the Pixelwave library with createElement, without any consent markup.
    rules: [
      { match: at('/ads/'), category: 'marketing' },
      { match: at('/insights/'), category: 'analytics' },
      { match: at('/partners/'), category: 'partners' },
    ],
    clearOnRevoke: { analytics: ['_mi_id'], marketing: ['_pw_id'] },
  }
})()
