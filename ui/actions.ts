import type { ConsentApi } from '../src/api'
import type { ActionOptions, ConsentSource, ShownTexts } from '../src/types'
import { textsFor } from './texts'
import type { Languages, Texts } from './texts'

/** What every UI component gets: the API, the texts shown and the two moves a visitor makes. */
export interface Ui {
  api: ConsentApi
  t: Texts
  /** The texts object and language sent with every decision, hashed by core for the consent log. */
  shown: ShownTexts
  /** Runs a decision with its source and the texts shown, then closes the UI; `saved` runs once core applied it. */
  act(decide: (options: ActionOptions) => Promise<unknown>, source: ConsentSource): void
  /** Closes a dialog without deciding: back to the banner while nothing is decided yet. */
  close(): void
}

/**
 * Builds the UI's handle on one API instance.
 * @param api the public API passed to `mount`
 * @param languages the built-in texts at hand besides English
 * @param saved called after each decision made in the UI has been applied (mount announces it)
 */
export function createUi(api: ConsentApi, languages: Languages = {}, saved: () => void = () => undefined): Ui {
  const t = textsFor(api.config, languages)
  const shown = { texts: t, lang: api.config.lang }
  return {
    api, t, shown,
    act(decide, source) {
      decide({ source, shown }).then(saved, (error) => console.error(error))
      api.hide()
    },
    close: () => (api.get().decided ? api.hide() : api.show()),
  }
}
