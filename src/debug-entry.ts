import { registerChunk } from './chunk-loader'
import { configErrorMessage, diagnose, resolveConfig } from './config-diagnostics'

// IIFE entry of `minopio-consent-debug.js`: loaded by the gate only when its guard finds the config invalid.
registerChunk('debug', { configErrorMessage, diagnose, resolveConfig })
