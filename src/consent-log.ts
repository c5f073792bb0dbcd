import type { ConsentContext } from './context'

/**
 * Starts consent-log delivery. (Foundation placeholder: the outbox and retries land with the consent-log issue.)
 * @param ctx SDK context
 */
export function startConsentLog(ctx: ConsentContext): void {
  if (!ctx.config.endpoint) ctx.warnOnce('no endpoint configured: consent changes are not logged')
}
