// Fails when the committed dist/ differs from a fresh build of src/: the bundle is what action.yml
// runs, so a stale one ships old behaviour. Builds into a scratch copy; the working tree is untouched.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './run-action.mjs'

export function buildInto(outDir) {
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'ncc'), ['build', 'src/index.ts', '-o', outDir, '--license', 'licenses.txt', '--quiet'], { cwd: repoRoot, stdio: 'pipe' })
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'copy-wasm.mjs'), outDir], { cwd: repoRoot, stdio: 'pipe' })
}

export function compareDirs(expectedDir, actualDir) {
  const names = new Set([...readdirSync(expectedDir), ...(existsSync(actualDir) ? readdirSync(actualDir) : [])])
  const differences = []
  for (const name of [...names].sort()) {
    const a = join(expectedDir, name)
    const b = join(actualDir, name)
    if (!existsSync(a)) differences.push(`${name}: in dist/ but not produced by the build`)
    else if (!existsSync(b)) differences.push(`${name}: produced by the build but missing from dist/`)
    else if (!readFileSync(a).equals(readFileSync(b))) differences.push(`${name}: differs`)
  }
  return differences
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scratch = mkdtempSync(join(tmpdir(), 'pgma-dist-'))
  try {
    buildInto(scratch)
    const differences = compareDirs(scratch, join(repoRoot, 'dist'))
    if (differences.length > 0) {
      console.error(`dist/ is stale — run \`npm run build\` and commit dist/:\n  ${differences.join('\n  ')}`)
      process.exit(1)
    }
    console.log('dist/ matches a fresh build of src/.')
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
