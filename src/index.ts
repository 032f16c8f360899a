/* The bundle's entry: everything lives in run(). */
// Must be first: libpg-query's Emscripten glue reads __dirname, which ESM bundles do not define.
import './esm-dirname-shim.js'
import { run } from './main.js'

await run()
