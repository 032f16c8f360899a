import { afterAll, expect, it } from '@jest/globals'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { adminQuery, createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS, withClient } from '../support/database.js'
import { type ActionRun } from '../support/action-run.js'

/**
 * validate and plan apply nothing — also no CREATE EXTENSION (issue 10) — and work for a read-only
 * pull-request role with the default `extensions: vector` (issue 7 #5). Run through the bundle, as the runner runs it.
 */
describeWithAnyDatabase('validate and plan are read-only, also for extensions', () => {
  afterAll(() => dropTestDatabases())

  const vectorInstalled = async (url: string): Promise<boolean> =>
    ((await withClient(url, (c) => c.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`))).rowCount ?? 0) > 0

  it.each(['validate', 'plan'])(
    '%s on a fresh database says it would create vector and leaves pg_extension without it',
    async (mode) => {
      const db = await createTestDatabase()
      const result = (await runAction({ inputs: { 'database-url': db.url, 'migrations-path': 'migrations-example/sql', mode } })) as ActionRun
      expect(result.exitCode).toBe(0)
      expect(await vectorInstalled(db.url)).toBe(false)
      expect(result.summary).toMatch(/`vector` \| would-create \|/)
      expect(result.summary).toContain('A migrate run would run CREATE EXTENSION')
      expect(result.summary).toContain('⏭️ HNSW index build: skipped, vector is not created yet')
    },
    60_000
  )

  itNeedingServer(
    PGLITE_LACKS.roles,
    'validate with a read-only role and the default extensions passes, naming the smoke checks it skipped',
    async () => {
      const db = await createTestDatabase()
      const role = `${db.name}_reader`
      await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-pass'`)
      try {
        await withClient(db.url, async (c) => {
          await c.query('CREATE EXTENSION vector')
          await c.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`)
        })
        const url = new URL(db.url)
        url.username = role
        url.password = 'reader-pass'
        const result = (await runAction({ inputs: { 'database-url': url.toString(), 'migrations-path': 'migrations-example/sql', mode: 'validate' } })) as ActionRun
        expect(result.exitCode).toBe(0)
        expect(result.summary).toContain('✅ distance operators')
        expect(result.summary).toContain('✅ vector(3) value round trip')
        expect(result.summary).toMatch(/⏭️ HNSW index build: skipped, needs a temporary table, and the session is read-only/)
        expect(result.summary).not.toMatch(/reinstall/i)
      } finally {
        await adminQuery(`DROP DATABASE ${db.name} WITH (FORCE)`)
        await adminQuery(`DROP ROLE ${role}`)
      }
    },
    60_000
  )
})
