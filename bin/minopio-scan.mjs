#!/usr/bin/env node
// `npx minopio-scan <url…>`: see scanner/cli.mjs.
import { main } from '../scanner/cli.mjs'

process.exitCode = await main(process.argv.slice(2), process)
