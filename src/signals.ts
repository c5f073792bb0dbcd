import type { ConsentContext } from './context'

/** Whether the browser sends Global Privacy Control (`navigator.globalPrivacyControl`). */
export function detectGpc(): boolean {
  return (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true
}

/**
 * Starts the privacy signals. (Foundation placeholder: Google Consent Mode lands with the gate issue.)
 * @param _ctx SDK context
 */
export function startSignals(_ctx: ConsentContext): void {}
