export { mountConsentUI, effectiveTexts, BUILT_IN_TEXTS } from './built-in'
export { HOST_ID } from './mount'
export { PLACEHOLDER_ATTR } from './placeholders'
export type { Texts } from './texts'
