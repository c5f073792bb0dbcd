#!/usr/bin/env node
// `npx minopio-scan <url…>`: see ../cli.mjs.
import { main } from '../cli.mjs'

process.exitCode = await main(process.argv.slice(2), process)
