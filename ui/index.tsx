export { mountConsentUI, HOST_ID } from './mount'
export { PLACEHOLDER_ATTR } from './placeholders'
export { effectiveTexts } from './texts'
export type { Texts } from './texts'
