#!/usr/bin/env node
// The `minopio-collector` command: runs the compiled CLI (npm run build -w @minopio/consent-collector).
import { runCli, UsageError } from '../dist/collector/src/index.js'

runCli(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code
}, (error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`minopio-collector: ${error.message}\n`)
    process.exitCode = 2
  } else {
    process.stderr.write(`minopio-collector: ${error?.stack ?? error}\n`)
    process.exitCode = 1
  }
})
