import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/**
 * Compiles src/ to plain ESM JavaScript (transpile only, no type check) under node_modules/.cache,
 * so a child `node` process can run the real engine code: the kill test needs a separate process
 * it can SIGKILL. Living under the repository keeps node_modules resolution working.
 */
export function compileSourcesForChild(root = process.cwd()): string {
  const outDir = path.join(root, 'node_modules', '.cache', 'pgma-sql-child')
  mkdirSync(outDir, { recursive: true })
  writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}\n')
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const { outputText } = ts.transpileModule(readFileSync(full, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
          fileName: full
        })
        const target = path.join(outDir, path.relative(root, full)).replace(/\.ts$/, '.js')
        mkdirSync(path.dirname(target), { recursive: true })
        writeFileSync(target, outputText)
      }
    }
  }
  walk(path.join(root, 'src'))
  return outDir
}
