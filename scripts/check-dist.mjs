// Fails when the committed dist/ differs from a fresh build of src/: the bundle is what action.yml
// runs, so a stale one ships old behaviour. Builds into a scratch copy; the working tree is untouched.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
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

// `node scripts/check-dist.mjs [expected-dir]`: with a directory, the fresh build is left there, so
// CI can upload it as an artifact when the check fails.
if (import.meta.url === `file://${process.argv[1]}`) {
  const keep = process.argv[2]
  if (keep) mkdirSync(keep, { recursive: true })
  const expected = keep ?? mkdtempSync(join(tmpdir(), 'pgma-dist-'))
  try {
    buildInto(expected)
    const differences = compareDirs(expected, join(repoRoot, 'dist'))
    if (differences.length > 0) {
      console.error(`dist/ is stale — run \`npm run build\` and commit dist/:\n  ${differences.join('\n  ')}`)
      process.exitCode = 1
    } else {
      console.log('dist/ matches a fresh build of src/.')
    }
  } finally {
    if (!keep) rmSync(expected, { recursive: true, force: true })
  }
}
