/**
 * English texts: the reference set of keys (DESIGN §3). Slots in braces are filled by the UI: `{category}` with
 * category labels, `{settings}` with `settingsButton`, `{list}` with cookie names, `{n}` with a count, `{state}` with a
 * tag state. Every word and punctuation mark the visitor reads lives here, none in the components.
 */
export default {
  bannerTitle: 'Your privacy',
  bannerText: 'We use cookies to run this site and, with your consent, to measure its use and to show offers from us and our partners. You can change your choice or withdraw your consent at any time in “{settings}”.',
  policyLink: 'Privacy policy',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  customize: 'Customize',
  save: 'Save choices',
  close: 'Close',
  preferencesTitle: 'Cookie settings',
  preferencesText: 'Choose which cookies you allow. Necessary cookies are always active. You can withdraw your consent here at any time.',
  settingsButton: 'Cookie settings',
  policyChanged: 'Our privacy policy has changed. Please make your choice again.',
  gpcNotice: 'Your browser sends a privacy signal (GPC), so marketing and partners are off.',
  alwaysOn: 'Always active',
  services: 'Services',
  cookieList: 'Cookies: {list}',
  placeholderText: 'This content is blocked until you allow {category}.',
  allowCategory: 'Allow {category}',
  loadOnce: 'Load once',
  saved: 'Your choice has been saved.',
  auditTitle: 'Consent audit',
  auditTags: 'Gated tags ({n})',
  auditRequests: 'Uncovered third-party requests ({n})',
  auditNone: 'None',
  auditCategory: 'Category',
  auditUrl: 'URL or code',
  auditVia: 'Via',
  auditState: 'State',
  auditTime: 'Time',
  auditOnce: '{state} (once)',
  exportCsv: 'Export CSV',
  categories: {
    necessary: { label: 'Necessary', description: 'Security, your consent choice and basic features.' },
    analytics: { label: 'Analytics', description: 'Statistics on how the site is used, to improve it.' },
    marketing: { label: 'Marketing', description: 'Offers matched to your interests, and campaign measurement.' },
    partners: { label: 'Partners', description: 'Our partners’ direct marketing and embedded content.' },
  } as Record<string, { label: string; description: string }>,
}
