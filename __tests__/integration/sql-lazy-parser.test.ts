import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { loadSqlMigrations } from '../../src/engines/sql/files.js'
import { HistoryTable } from '../../src/engines/sql/history.js'
import { parserRequested } from '../../src/sql/parse.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases } from '../support/database.js'
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

describeWithAnyDatabase('SQL engine: lazy parser', () => {
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

  it('trusts a provisional split only where the history recorded its checksum: the lexer settles the rest, edits are still caught', async () => {
    const functionBody = '-- migrate:up\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n-- migrate:down\nDROP FUNCTION f();\n'
    // Taken at its word, the marker inside the DO block would cut the up section short, to a checksum the history never saw.
    const doBlock = "-- migrate:up\nDO $$ BEGIN\n-- migrate:down\nRAISE NOTICE 'inside';\nEND $$;\n"
    dir.write({ '0001_f.sql': functionBody, '0002_do.sql': doBlock })
    const first = await harness.run()
    expect(first.result!.runs.map((r) => r.status)).toEqual(['applied', 'applied'])

    const again = await harness.run()
    expect(again.problems).toEqual([])
    expect(again.result).toEqual({ runs: [], current: ['0002'] })

    dir.write({ '0001_f.sql': functionBody.replace('SELECT 1', 'SELECT 2') })
    const edited = await harness.run()
    expect(edited.problems.map((p) => [p.code, p.revisions])).toEqual([['checksum-mismatch', ['0001']]])
  })
})
