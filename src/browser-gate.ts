// `dist/minopio-consent.js`: the head gate. Strict mode's code is left out: `minopio-consent-strict.js` carries it.
import { boot } from './browser'

boot()
