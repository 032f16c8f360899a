import { afterAll, expect, it } from '@jest/globals'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { itNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { type ActionRun } from '../support/action-run.js'

/**
 * Two jobs migrating one database at the same moment, as separate processes of the bundled action:
 * the advisory lock must make one wait, and the waiter must then find nothing pending.
 */
describeWithDatabase('two runners started together on one database', () => {
  afterAll(() => dropTestDatabases())

  it('SQL chain: every migration is applied exactly once and both runs succeed', async () => {
    const db = await createTestDatabase()
    const inputs = { 'database-url': db.url, 'migrations-path': 'migrations-example/sql' }
    const [a, b] = (await Promise.all([runAction({ inputs }), runAction({ inputs })])) as ActionRun[]
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])
    const appliedCounts = [Number(a.outputs['applied-count']), Number(b.outputs['applied-count'])].sort()
    const history = await withClient(db.url, (c) =>
      c.query<{ version: string; n: string }>('SELECT version, count(*) AS n FROM public.pg_migrate_history GROUP BY version ORDER BY version')
    )
    expect(history.rows.length).toBeGreaterThan(2)
    expect(history.rows.every((r) => r.n === '1')).toBe(true)
    expect(appliedCounts).toEqual([0, history.rows.length])
    const waiter = Number(a.outputs['applied-count']) === 0 ? a : b
    expect(waiter.summary).toContain('database already up to date')
    expect(a.outputs['current-version']).toBe(b.outputs['current-version'])
  }, 60_000)

  itNeeding({ needs: ['alembic'], timeout: 90_000 }, 'Alembic chain: Alembic never runs twice at once; the second run finds the database at head', async () => {
    const db = await createTestDatabase()
    const inputs = { 'database-url': db.url, 'migrations-path': 'migrations-example/alembic', python: process.env.TEST_ALEMBIC_PYTHON ?? '/usr/bin/python3' }
    const [a, b] = (await Promise.all([runAction({ inputs }), runAction({ inputs })])) as ActionRun[]
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])
    const counts = [Number(a.outputs['applied-count']), Number(b.outputs['applied-count'])].sort((x, y) => x - y)
    expect(counts[0]).toBe(0)
    expect(counts[1]).toBeGreaterThan(2)
    const heads = await withClient(db.url, (c) => c.query<{ version_num: string }>('SELECT version_num FROM alembic_version'))
    expect(heads.rows.map((r) => r.version_num)).toEqual([a.outputs['current-version']])
    expect(b.outputs['current-version']).toBe(a.outputs['current-version'])
  })
})
