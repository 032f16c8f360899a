import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * libpg-query's Emscripten glue finds `libpg-query.wasm` through `__dirname`, which does not exist in
 * an ES module. In the ncc bundle `import.meta.url` is dist/index.js, and the build copies the WASM
 * next to it (scripts/copy-wasm.mjs). Import this module first, before anything that may load the parser.
 */
const shimmed = globalThis as { __dirname?: string }
shimmed.__dirname ??= dirname(fileURLToPath(import.meta.url))

export {}
