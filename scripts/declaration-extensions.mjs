// Emitted declarations keep the sources' extension-less relative imports, which only `moduleResolution: "bundler"`
// follows; node16/nodenext (TS2834) need the `.js` a published ESM file would have. The sources stay as they are:
// the ESM build rewrites the specifiers in its `.d.ts` output instead.
import { posix } from 'node:path'

// `from './x'`, `import './x'`, `import('./x')` (inline types in emitted signatures).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*)\2/g

/**
 * Adds the extension node16/nodenext resolution needs to each relative import of one declaration file.
 * @param {string} source the `.d.ts` text
 * @param {string} fileName its path in the output folder, e.g. `src/index.d.ts`
 * @param {(fileName: string) => boolean} exists whether a declaration file is in the output
 * @returns {string} the text with `./x` → `./x.js` (or `./x/index.js` for a folder)
 * @throws {Error} when a specifier names no emitted declaration, so a broken package fails the build
 */
export function addJsExtensions(source, fileName, exists) {
  const dir = posix.dirname(fileName)
  return source.replace(SPECIFIER, (whole, lead, quote, spec) => {
    if (/\.(m|c)?js$/.test(spec)) return whole
    const target = posix.join(dir, spec)
    const fixed = exists(`${target}.d.ts`) ? `${spec}.js` : exists(`${target}/index.d.ts`) ? `${spec}/index.js` : null
    if (!fixed) throw new Error(`[declaration-extensions] ${fileName}: "${spec}" names no emitted declaration file`)
    return `${lead}${quote}${fixed}${quote}`
  })
}

/**
 * Rollup plugin, after `@rollup/plugin-typescript`: rewrites the relative imports of every emitted `.d.ts`.
 * @returns {import('rollup').Plugin}
 */
export function declarationExtensions() {
  return {
    name: 'declaration-extensions',
    generateBundle(_options, bundle) {
      const exists = (/** @type {string} */ name) => name in bundle
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.d.ts')) continue
        file.source = addJsExtensions(String(file.source), file.fileName, exists)
      }
    },
  }
}
