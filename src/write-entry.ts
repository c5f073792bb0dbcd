import { registerChunk } from './chunk-loader'
import { startDecisions } from './decide'

// IIFE entry of `minopio-consent-write.js`: the gate's loader (src/chunk-loader.ts) picks this up once the file ran.
registerChunk('write', { startDecisions })
