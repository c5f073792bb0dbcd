// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { addJsExtensions } from '../scripts/declaration-extensions.mjs'

const emitted = new Set(['src/index.d.ts', 'src/api.d.ts', 'src/gate/index.d.ts', 'ui/texts.d.ts', 'src/types.d.ts'])
const exists = (name: string) => emitted.has(name)

describe('adding .js to the relative imports of emitted declarations', () => {
  it('adds .js to files, /index.js to folders, across folders and in inline import() types', () => {
    const source = [
      "export { createApi } from './api';",
      "export type * from './types';",
      "import { startGate } from './gate';",
      "import type { Texts } from '../ui/texts';",
      "export declare const x: import(\"./api\").ConsentApi;",
    ].join('\n')
    expect(addJsExtensions(source, 'src/index.d.ts', exists)).toBe([
      "export { createApi } from './api.js';",
      "export type * from './types.js';",
      "import { startGate } from './gate/index.js';",
      "import type { Texts } from '../ui/texts.js';",
      "export declare const x: import(\"./api.js\").ConsentApi;",
    ].join('\n'))
  })

  it('leaves package imports and specifiers that already have an extension alone', () => {
    const source = "import type { JSX } from 'preact';\nexport * from './api.js';"
    expect(addJsExtensions(source, 'src/index.d.ts', exists)).toBe(source)
  })

  it('fails the build on a relative import that names no emitted declaration', () => {
    expect(() => addJsExtensions("export * from './missing';", 'src/index.d.ts', exists))
      .toThrow('[declaration-extensions] src/index.d.ts: "./missing" names no emitted declaration file')
  })
})
