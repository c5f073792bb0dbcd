// The lookup lives with the published scanner (scripts/ is not published); the npm scripts and tests share it.
export { findChromium, CHROMIUM_ARGS } from '../scanner/chromium.mjs'
