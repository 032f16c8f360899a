import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'

/**
 * The gating every suite relies on, run as `npm test` runs it: a child jest with this repository's
 * config (global setup, plain reporter) on a fixture suite that needs a Python with Alembic, given
 * an interpreter that does not exist.
 */
function runGated(env: NodeJS.ProcessEnv, fixtures = 'gating'): { status: number | null; output: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_OPTIONS: '--experimental-vm-modules', NODE_NO_WARNINGS: '1' }
  for (const name of ['TEST_DATABASE_URL', 'TEST_ALEMBIC_NEW_PYTHONPATH', 'TEST_NODE24', 'CI']) if (!(name in env)) delete childEnv[name]
  const result = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--ci', '--testMatch', `<rootDir>/__tests__/fixtures/${fixtures}/*.gated.ts`], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 120_000
  })
  return { status: result.status, output: result.stdout + result.stderr }
}

describe('capability gating', () => {
  it('skips a suite whose capability is missing, printing which and why, and lists skips without a reason', () => {
    const { status, output } = runGated({ TEST_ALEMBIC_PYTHON: '/nonexistent/python3' })
    expect(output).toContain('Skipped:\n')
    expect(output).toMatch(/a suite that needs Alembic \(1 test\)\n\s+needs Python's Alembic .* \/nonexistent\/python3 cannot be started \(ENOENT\)/)
    expect(output).toMatch(/a test skipped by hand \(1 test\)\n\s+skipped without a declared reason/)
    expect(output).toMatch(/^0 passed, 0 failed, 2 skipped$/m)
    expect(status).toBe(0)
  }, 60_000)

  it('fails instead under CI=true, saying what is missing, and fails the run for a skip without a reason', () => {
    const { status, output } = runGated({ TEST_ALEMBIC_PYTHON: '/nonexistent/python3', CI: 'true' })
    expect(output).toMatch(/Under CI=true nothing may skip, but this needs Python's Alembic .* \/nonexistent\/python3 cannot be started/)
    expect(output).toMatch(/^0 passed, 1 failed, 1 skipped$/m)
    expect(output).toContain('CI=true: tests were skipped (listed above); under CI nothing may skip.')
    expect(status).toBe(1)
  }, 60_000)

  it('runs a suite on PGlite when TEST_DATABASE_URL is unset, a database of its own per createTestDatabase, and skips what needs the server, saying why', () => {
    const { status, output } = runGated({}, 'gating-pglite')
    expect(output).toContain("database: PGlite; the second database sees the first's table: false")
    expect(output).toMatch(
      /needs two sessions \(1 test\)\n\s+needs a PostgreSQL server with pgvector at TEST_DATABASE_URL \(on PGlite: every connection is the same session, .*\) — TEST_DATABASE_URL is not set/
    )
    expect(output).toMatch(/^1 passed, 0 failed, 1 skipped$/m)
    expect(status).toBe(0)
  }, 120_000)
})
