import type { Ui } from './actions'

/**
 * The small floating "Cookie settings" button shown after a decision (`config.settingsButton`); reopens the dialog.
 * @param props the UI handle
 */
export const SettingsButton = ({ ui }: { ui: Ui }) => (
  <button class="sb" data-action="settings" onClick={ui.api.showPreferences}>{ui.t.settingsButton}</button>
)
