// `dist/minopio-consent-strict.js`: the head gate with strict mode (a Content-Security-Policy from the config).
import { boot } from './browser'
import { startStrict } from './strict'

boot(startStrict)
