/* The bundle's entry: everything lives in run(). */
// Must be first: libpg-query's Emscripten glue reads __dirname, which ESM bundles do not define.
import './esm-dirname-shim.js'
import * as core from '@actions/core'
import { run } from './main.js'
import { redact } from './redact.js'

// run() reports everything itself; this is the last line of defence, so a bug still fails the step.
const outcome = await run().catch((error: unknown) => core.setFailed(redact(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)))
// Cancelled: the report is out and the runner kills the process tree shortly; nothing left is worth waiting for.
if (outcome?.cancelled) process.exit()
