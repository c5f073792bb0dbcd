import { mountConsentUI } from './mount'

// IIFE entry: the gate's loader (src/ui-loader.ts) calls this `mount(api)` once the file has loaded.
;(window as Window & { minopioConsentUI?: { mount: typeof mountConsentUI } }).minopioConsentUI = { mount: mountConsentUI }
