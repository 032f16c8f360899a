import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { loadSqlMigrations } from '../../src/engines/sql/files.js'
import { HistoryTable } from '../../src/engines/sql/history.js'
import { parserRequested } from '../../src/sql/parse.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases } from '../support/database.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'

/** Jest gives each test file its own module registry, so the parser starts unloaded here. */

let dir: MigrationDir
let harness: SqlHarness

beforeEach(async () => {
  dir = new MigrationDir()
  harness = new SqlHarness((await createTestDatabase('pgma_sqllazy')).url, dir)
})

afterEach(async () => {
  await harness.close()
  dir.cleanup()
})

afterAll(async () => {
  await dropTestDatabases()
})

describeWithDatabase('SQL engine: lazy parser', () => {
  it('does not load the WASM parser when nothing is pending, and loads it when something is', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE INDEX CONCURRENTLY a_id ON a (id);' })
    // Record both as applied without running the engine (which would parse).
    const ctx = await harness.context()
    const history = new HistoryTable({ schema: 'public', table: 'pg_migrate_history' })
    await history.ensure(ctx.client)
    for (const m of await loadSqlMigrations('migrations', dir.cwd)) {
      await ctx.client.query(
        history.insertAppliedSql(
          { version: m.version, name: m.name, checksum: m.checksum, transactional: true, statements: 1 },
          { appliedBy: null, gitSha: null, runId: null, repository: null }
        )
      )
    }

    const idle = await harness.run()
    expect(idle.problems).toEqual([])
    expect(idle.result).toEqual({ runs: [], current: ['0002'] })
    const plan = await harness.run('plan')
    expect(plan.rendered).toEqual([])
    expect(parserRequested()).toBe(false)

    dir.write({ '0003_c.sql': 'CREATE TABLE c (id int);' })
    const busy = await harness.run()
    expect(busy.result!.runs.map((r) => r.status)).toEqual(['applied'])
    expect(parserRequested()).toBe(true)
  })
})
