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
    // Services: each vendor under its category, with an id so a visitor can allow one without the others (the
    // video without the ads). Their `match` holds what they load; their cookies go when they are refused.
    categories: [
      'necessary',
      {
        id: 'analytics',
        services: [{
          id: 'minopio-insights', name: 'Minopio Insights', provider: 'Minopio BV', privacyUrl: '/privacy',
          description: 'Minopio Insights counts visits and pages viewed, to improve the shop.',
          cookies: [{ name: '_mi_id', lifetime: '13 months', purpose: 'Tells one visit from another' }],
          match: [at('/insights/')],
        }],
      },
      {
        id: 'marketing',
        services: [
          {
            id: 'pixelwave', name: 'Pixelwave', provider: 'Pixelwave Ltd', privacyUrl: '/privacy',
            description: 'Pixelwave shows Minopio ads on other sites and measures the campaigns.',
            cookies: [{ name: '_pw_id', lifetime: '90 days', purpose: 'Recognises this browser for ad retargeting' }],
            // site.js injects the Pixelwave library with createElement, without any consent markup: this rule holds it.
            match: [at('/ads/')],
          },
          {
            id: 'kiln-films', name: 'Kiln Films', provider: 'Kiln Films Oy', privacyUrl: '/privacy',
            description: 'Kiln Films sets cookies to count views.',
            match: [at('/video/')],
          },
        ],
      },
      {
        id: 'partners',
        services: [{
          id: 'verifeo', name: 'Verifeo', provider: 'Verifeo SA', privacyUrl: '/privacy',
          description: 'Verifeo collects and verifies customer reviews.',
          match: [at('/partners/')],
        }],
      },
    ],
  }
})()
