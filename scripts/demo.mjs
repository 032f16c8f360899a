// `npm run demo`: runs the built action end to end on an embedded PostgreSQL with pgvector (PGlite,
// no Docker), applying the example SQL chain, then prints the job summary and the outputs.
import { startPgliteServer } from './pglite-server.mjs'
import { runAction } from './run-action.mjs'

const chain = process.argv[2] ?? 'migrations-example/sql'
console.log('Starting the embedded PostgreSQL + pgvector (PGlite)…')
const db = await startPgliteServer()
let exitCode
try {
  console.log(`Running dist/index.js as the GitHub runner would, on ${chain}…\n`)
  const result = await runAction({
    inputs: { 'database-url': db.url, 'migrations-path': chain, engine: 'sql' },
    onStdout: (s) => process.stdout.write(s)
  })
  exitCode = result.exitCode
  console.log('\n──────── job summary (GITHUB_STEP_SUMMARY) ────────\n')
  console.log(result.summary)
  console.log('──────── outputs (GITHUB_OUTPUT) ────────\n')
  for (const [name, value] of Object.entries(result.outputs)) console.log(`${name}: ${value}`)
  console.log(`\nThe action exited with ${exitCode}.`)
} finally {
  await db.stop()
}
process.exit(exitCode)
