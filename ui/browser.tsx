import type { ConsentApi } from '../src/api'
import { mountWithLanguages } from './mount'
import { TEXTS_GLOBAL } from './texts'
import type { Languages } from './texts'

type UiWindow = Window & { minopioConsentUI?: { mount(api: ConsentApi): () => void }; [TEXTS_GLOBAL]?: Languages }

// IIFE entry: the gate's loader (src/ui-loader.ts) calls this `mount(api)` once this file and the file of the language
// shown (`minopio-consent-ui-<lang>.js`, which adds its texts to the TEXTS_GLOBAL) have loaded. English is built in.
// It returns the unmount, which the instance's destroy() runs.
;(window as UiWindow).minopioConsentUI = { mount: (api) => mountWithLanguages(api, (window as UiWindow)[TEXTS_GLOBAL] ?? {}) }
