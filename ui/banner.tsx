import type { ConsentState } from '../src/types'
import type { Ui } from './actions'
import { fill } from './texts'

/**
 * The first-layer banner: a labelled region with the notice, the policy link and three choices.
 * Accept and reject share one button style (equal weight); it never covers the whole page.
 * @param props the UI handle and the current consent
 */
export function Banner({ ui, state }: { ui: Ui; state: ConsentState }) {
  const { api, t } = ui
  return (
    <section class="bn" aria-labelledby="bt">
      <h2 id="bt">{t.bannerTitle}</h2>
      {state.reason === 'policy-changed' && <p class="n">{t.policyChanged}</p>}
      {state.gpc && <p class="n">{t.gpcNotice}</p>}
      <p>
        {fill(t.bannerText, { settings: t.settingsButton })} <PolicyLink ui={ui} />
      </p>
      <div class="bs">
        <AcceptReject ui={ui} source="banner" />
        <button class="b" data-action="customize" onClick={api.showPreferences}>{t.customize}</button>
      </div>
    </section>
  )
}

/**
 * The privacy policy link (`config.policyUrl`), or nothing when none is configured.
 * @param props the UI handle
 */
export const PolicyLink = ({ ui }: { ui: Ui }) =>
  ui.api.config.policyUrl ? <a href={ui.api.config.policyUrl}>{ui.t.policyLink}</a> : null

/**
 * Accept all and Reject all with equal weight: one grid row of two equal tracks, the same width to the pixel, never
 * one above the other. Shared by the banner and the preferences dialog.
 * @param props the UI handle and where the decision is made
 */
export const AcceptReject = ({ ui, source }: { ui: Ui; source: 'banner' | 'preferences' }) => (
  <div class="pp">
    <button class="b p" data-action="accept-all" onClick={() => ui.act(ui.api.acceptAll, source)}>{ui.t.acceptAll}</button>
    <button class="b p" data-action="reject-all" onClick={() => ui.act(ui.api.rejectAll, source)}>{ui.t.rejectAll}</button>
  </div>
)
