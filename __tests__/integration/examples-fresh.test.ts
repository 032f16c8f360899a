import { expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describeNeeding } from '../support/capabilities.js'

/**
 * The committed examples match what the built action (dist/) writes today: the SQL failure and the
 * Alembic toolchain failure are regenerated on PGlite and compared (all of them: `npm run examples
 * -- --check` takes a minute). Stale after a renderer change: run `npm run examples`.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))

describeNeeding(['alembic'], 'docs/examples', () => {
  it('are what the action renders now (sql-failure, alembic-failure)', async () => {
    const run = await promisify(execFile)(process.execPath, ['scripts/examples.mjs', '--check', 'sql-failure', 'alembic-failure'], { cwd: root }).catch(
      (error: { stdout: string; stderr: string }) => error
    )
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('sql-failure: action exited 1, up to date')
    expect(run.stdout).toContain('alembic-failure: action exited 1, up to date')
  }, 120_000)
})
