// Lints one SQL file as a single pending migration, like the action's lint stage (offline: no
// catalog), and prints the findings as JSON (as `squawk --reporter json` does). The time spent in
// lintPending alone goes to stderr as `lint-ms <ms>`, so start-up and linting can be told apart.
import { readFileSync } from 'node:fs'
import { lintPending } from '../../src/lint/lint.js'

const file = process.argv[2]
const sql = readFileSync(file, 'utf8')
const started = performance.now()
const result = await lintPending(
  [{ revision: { id: '0001', parents: [], dependsOn: [], branchLabels: [], description: 'bench', file, line: 1 }, sql, sqlLine: 1, transactional: true, notes: [] }],
  { engine: 'sql', lockTimeout: '10s' }
)
process.stderr.write(`lint-ms ${(performance.now() - started).toFixed(1)}\n`)
process.stdout.write(JSON.stringify(result.findings) + '\n')
