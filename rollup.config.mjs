import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import nodeResolve from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { declarationExtensions } from './scripts/declaration-extensions.mjs'

// Property names starting with one underscore are internal (STYLE.md) and mangled; wire formats never use them.
const minify = () =>
  terser({ ecma: 2020, compress: { passes: 3, pure_getters: true }, mangle: { properties: { regex: /^_[^_]/ } }, format: { comments: false } })

const ts = (extra = {}) => typescript({ tsconfig: './tsconfig.json', noEmitOnError: false, ...extra })

/** @param {string} input @param {string} file @returns {import('rollup').RollupOptions & { output: import('rollup').OutputOptions, plugins: import('rollup').Plugin[] }} */
const iife = (input, file) => ({
  input,
  output: { file, format: 'iife', sourcemap: true },
  plugins: [replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"' } }), nodeResolve({ browser: true }), ts({ target: 'ES2021' }), minify()],
})

const hasUi = existsSync('ui/index.tsx')

// One file per built-in language but English (which the UI bundle carries): `minopio-consent-ui-<lang>.js` adds its
// texts to the global the UI reads (ui/texts.ts TEXTS_GLOBAL). The entry is generated, so no per-language source file.
const LANGS = ['fr', 'nl', 'de', 'es', 'it']
/** @param {string} lang @returns {import('rollup').Plugin} */
const language = (lang) => ({
  name: 'language-entry',
  resolveId: (id) => (id === `language:${lang}` ? id : null),
  load: (id) => (id === `language:${lang}`
    ? `import texts from ${JSON.stringify(resolve(`ui/i18n/${lang}.ts`))}\n;(window.minopioConsentTexts ??= {})[${JSON.stringify(lang)}] = texts\n`
    : null),
})
/** @param {string} lang */
const languageFile = (lang) => {
  const { plugins, ...rest } = iife(`language:${lang}`, `dist/minopio-consent-ui-${lang}.js`)
  return { ...rest, output: { ...rest.output, sourcemap: false }, plugins: [language(lang), ...plugins] }
}

export default [
  iife('src/browser-gate.ts', 'dist/minopio-consent.js'),
  // The same gate plus strict mode: sites that enable `strict` load this file instead (its bytes are not everyone's).
  iife('src/browser-strict.ts', 'dist/minopio-consent-strict.js'),
  // Deferred, loaded by the gate from its own folder when needed (src/chunk-loader.ts).
  iife('src/write-entry.ts', 'dist/minopio-consent-write.js'),
  iife('src/debug-entry.ts', 'dist/minopio-consent-debug.js'),
  // The one rule matcher, for the scanner (Node): the gate and the UI bundle it from the same source.
  { input: 'src/rule-matcher.ts', output: { file: 'dist/rule-matcher.mjs', format: 'es' }, plugins: [ts()] },
  ...(hasUi ? [iife('ui/browser.tsx', 'dist/minopio-consent-ui.js'), ...LANGS.map(languageFile)] : []),
  {
    input: { index: 'src/index.ts', server: 'src/server.ts', ...(hasUi ? { 'ui/index': 'ui/index.tsx' } : {}) },
    output: { dir: 'dist/esm', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'shared/[name]-[hash].js' },
    external: (/** @type {string} */ id) => /^(preact|nanostores|js-cookie|@nanostores\/preact)(\/|$)/.test(id),
    plugins: [ts({ declaration: true, declarationDir: 'dist/esm', outDir: 'dist/esm', rootDir: '.' }), declarationExtensions()],
  },
]
