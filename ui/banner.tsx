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
        {/* Accept and reject share one grid row of two equal tracks: the same width to the pixel, never one above the other. */}
        <div class="pp">
          <button class="b p" data-action="accept-all" onClick={() => ui.act(api.acceptAll, 'banner')}>{t.acceptAll}</button>
          <button class="b p" data-action="reject-all" onClick={() => ui.act(api.rejectAll, 'banner')}>{t.rejectAll}</button>
        </div>
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
