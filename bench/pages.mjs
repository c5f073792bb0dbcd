// The benchmark's page, built four ways: with Minopio Consent, with each anchor, and with the tags as plain scripts.
// Same content, same three third-party tags (analytics, marketing, partners), same categories and banner texts.
// Each SDK is placed as its own docs say: Minopio's gate first in <head>; the anchors' CSS in <head> and their
// script at the end of <body> (vanilla-cookieconsent's documented placement; orejime waits for DOMContentLoaded anyway),
// which spares the anchors a render-blocking script: a placement that favours them, not us.

export const CATEGORIES = ['analytics', 'marketing', 'partners']
const TEXTS = {
  title: 'Your privacy',
  text: 'We use cookies to run this site and, with your consent, to measure its use and show offers from us and our partners.',
  accept: 'Accept all', reject: 'Reject all', customize: 'Customize',
}

/** A third-party tag: records when it ran, in page time. */
export const tagScript = (/** @type {string} */ name) => `(window.__ran = window.__ran || []).push([${JSON.stringify(name)}, performance.now()])\n`

const body = (/** @type {string} */ tags) => `<header><h1>Minopio</h1><nav><a href="#shop">Shop</a> <a href="#kiln">The kiln</a></nav></header>
<main>
${Array.from({ length: 12 }, (_, i) => `<section><h2>Section ${i + 1}</h2><p>Hand-thrown teaware from Seto, fired in a wood kiln and checked by hand
in our Ghent workshop before it ships. Every cup is a little different; that is the point of it.</p></section>`).join('\n')}
</main>
${tags}`

/** @param {{ head?: string, tags: string, end?: string }} parts */
const page = ({ head = '', tags, end = '' }) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Minopio — bench</title>${head}
<link rel="stylesheet" href="/site.css"></head><body>${body(tags)}${end}</body></html>`


/**
 * The variants, each with its pages and files, the accept-all button, and the cookie its decision lands in.
 * @param {string} tracker origin of the third-party server
 */
export function variants(tracker) {
  const tags = (/** @type {(category: string, src: string) => string} */ markup) => CATEGORIES.map((c) => markup(c, `${tracker}/tags/${c}.js`)).join('\n')
  const minopioConfig = `window.minopioConsentConfig = ${JSON.stringify({
    policyVersion: 'bench', texts: { bannerTitle: TEXTS.title, bannerText: TEXTS.text, acceptAll: TEXTS.accept, rejectAll: TEXTS.reject, customize: TEXTS.customize },
  })}\n`
  const section = (/** @type {string} */ c) => ({ title: c, description: `${c} cookies`, linkedCategory: c })
  const vccConfig = `CookieConsent.run(${JSON.stringify({
    hideFromBots: false, // headless Chromium sets navigator.webdriver: without this the banner never shows
    categories: { necessary: { enabled: true, readOnly: true }, ...Object.fromEntries(CATEGORIES.map((c) => [c, {}])) },
    language: {
      default: 'en',
      translations: {
        en: {
          consentModal: { title: TEXTS.title, description: TEXTS.text, acceptAllBtn: TEXTS.accept, acceptNecessaryBtn: TEXTS.reject, showPreferencesBtn: TEXTS.customize },
          preferencesModal: {
            title: 'Cookie preferences', acceptAllBtn: TEXTS.accept, acceptNecessaryBtn: TEXTS.reject, savePreferencesBtn: 'Save', closeIconLabel: 'Close',
            sections: [{ title: 'necessary', description: 'necessary cookies', linkedCategory: 'necessary' }, ...CATEGORIES.map(section)],
          },
        },
      },
    },
  })})\n`
  const orejimeConfig = `window.orejimeConfig = ${JSON.stringify({
    privacyPolicyUrl: '/privacy',
    purposes: CATEGORIES.map((c) => ({ id: c, title: c, description: `${c} cookies`, cookies: [] })),
    translations: { banner: { title: TEXTS.title, description: TEXTS.text, accept: TEXTS.accept, decline: TEXTS.reject, configure: TEXTS.customize } },
  })}\n`

  return {
    minopio: {
      label: 'Minopio Consent',
      cookie: 'minopio_consent',
      accept: '#minopio-consent [data-action="accept-all"]',
      files: { '/minopio-config.js': minopioConfig },
      html: page({
        head: '<script src="/minopio-config.js"></script><script src="/dist/minopio-consent.js"></script>',
        tags: tags((c, src) => `<script type="text/plain" data-consent="${c}" src="${src}"></script>`),
      }),
    },
    vcc: {
      label: 'vanilla-cookieconsent 3.1.0',
      cookie: 'cc_cookie',
      accept: '#cc-main .cm [data-role="all"]',
      files: { '/vcc-config.js': vccConfig },
      html: page({
        head: '<link rel="stylesheet" href="/vendor/vanilla-cookieconsent/cookieconsent.css">',
        tags: tags((c, src) => `<script type="text/plain" data-category="${c}" src="${src}"></script>`),
        end: '<script src="/vendor/vanilla-cookieconsent/cookieconsent.umd.js"></script><script src="/vcc-config.js"></script>',
      }),
    },
    orejime: {
      label: 'orejime 3.2.1',
      cookie: 'eu-consent', // orejime 3's default cookie name
      accept: '.orejime-Banner [data-testid="orejime-banner-accept"]',
      files: { '/orejime-config.js': orejimeConfig },
      html: page({
        head: '<link rel="stylesheet" href="/vendor/orejime/orejime-standard.css">',
        tags: tags((c, src) => `<template data-purpose="${c}"><script src="${src}"></script></template>`),
        end: '<script src="/orejime-config.js"></script><script src="/vendor/orejime/orejime-standard-en.js"></script>',
      }),
    },
    plain: {
      label: 'plain tags (no SDK)',
      cookie: null,
      accept: null,
      files: {},
      html: page({ tags: tags((_, src) => `<script src="${src}"></script>`) }),
    },
  }
}

/** The page's own stylesheet, the same for every variant. */
export const SITE_CSS = 'body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}h1{margin:0}section{margin:2rem 0}\n'
