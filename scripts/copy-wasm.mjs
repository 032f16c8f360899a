// Copies libpg-query's WASM next to the ncc bundle: ncc does not emit it, and the Emscripten glue
// loads it from the bundle's directory at run time (see src/esm-dirname-shim.ts).
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const outDir = resolve(process.argv[2] ?? 'dist')
const require = createRequire(import.meta.url)
// Resolve through the package (its "main" is wasm/index.cjs), so a hoisted or nested install both work.
const source = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm')
if (!existsSync(source)) {
  console.error(`copy-wasm: ${source} not found; is libpg-query installed?`)
  process.exit(1)
}
mkdirSync(outDir, { recursive: true })
const target = join(outDir, 'libpg-query.wasm')
copyFileSync(source, target)
console.log(`copy-wasm: ${target} (${statSync(target).size} bytes)`)
