import { afterAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { type ActionRun } from '../support/action-run.js'

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgma-ws-'))
  mkdirSync(join(root, 'db'))
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(root, 'db', name), sql)
  return root
}

describeWithAnyDatabase('the report of a failed SQL migration, from the bundled action', () => {
  afterAll(() => dropTestDatabases())

  it('shows the failing file and line, the server error, the statement, the state and how to recover', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({
      '0001_items.sql': 'CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(3));\n',
      '0002_broken.sql': [
        '-- adds a column and an index',
        'ALTER TABLE items ADD COLUMN title text;',
        '',
        'CREATE INDEX items_title ON items (title);',
        'UPDATE items',
        '   SET title = upper(nosuchcolumn)',
        ' WHERE id > 0;',
        ''
      ].join('\n'),
      '0003_later.sql': 'ALTER TABLE items ADD COLUMN body text;\n'
    })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db' } })) as ActionRun
    expect(result.exitCode).toBe(1)

    // The annotation lands on the file and line of the error.
    expect(result.stdout).toMatch(/::error title=Migration 0002 failed \(42703\),file=db\/0002_broken\.sql,line=6[^:]*::column "nosuchcolumn" does not exist/)
    // The summary, without the log.
    expect(result.summary).toContain('failed at **apply**')
    expect(result.summary).toContain('> **Migration `0002` failed: column &quot;nosuchcolumn&quot; does not exist (SQLSTATE `42703`)**')
    expect(result.summary).toMatch(/> In `db\/0002_broken\.sql:6(:\d+)?`/)
    expect(result.summary).toContain('SET title = upper(nosuchcolumn)')
    expect(result.summary).toMatch(/> \*\*Database state:\*\* 1 revision, `0001`, committed in this run; now at `0001`\. Rolled back/)
    expect(result.summary).toContain('> **What to do:** Fix db/0002_broken.sql')
    expect(result.summary).not.toContain('current transaction is aborted')
    expect(result.summary).toMatch(/`0001` \| [^|]* \| ✅ applied/)
    expect(result.summary).toMatch(/`0003` \| [^|]* \| ⏸️ not run/)
    expect(result.outputs['applied-count']).toBe('1')
    expect(result.outputs['current-version']).toBe('0001')
    expect(result.outputs['pending-count']).toBe('2')

    // Nothing of 0002 is left behind.
    const columns = await withClient(db.url, (c) => c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY 1`))
    expect(columns.rows.map((r) => r.column_name)).toEqual(['embedding', 'id'])
  }, 60_000)

  it('plan mode shows each pending migration with its SQL and transaction mode, and applies nothing', async () => {
    const db = await createTestDatabase()
    const result = (await runAction({ inputs: { 'database-url': db.url, 'migrations-path': 'migrations-example/sql', mode: 'plan' } })) as ActionRun
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('## ✅ pg-migrate-action · plan: 5 pending migrations')
    expect(result.summary).toContain('### Plan')
    expect(result.summary).toMatch(/`0003` \| [^|]+ \| `0003[^|]+ \| \d+ lines? \| [^|]*runs outside a transaction/)
    expect(result.summary).toContain('CREATE INDEX CONCURRENTLY')
    expect(result.outputs['pending-count']).toBe('5')
    expect(result.outputs['applied-count']).toBe('0')
    const tables = await withClient(db.url, (c) => c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`))
    expect(tables.rows).toEqual([])
  }, 60_000)

  it('validate mode refuses an edited applied file, naming it, before anything runs', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({ '0001_a.sql': 'CREATE TABLE a (id int);\n', '0002_b.sql': 'CREATE TABLE b (id int);\n' })
    expect(((await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db' } })) as ActionRun).exitCode).toBe(0)
    writeFileSync(join(cwd, 'db', '0001_a.sql'), 'CREATE TABLE a (id bigint);\n')
    writeFileSync(join(cwd, 'db', '0003_c.sql'), 'CREATE TABLE c (id int);\n')
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', mode: 'validate' } })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **validate**')
    expect(result.summary).toContain('checksum-mismatch')
    expect(result.summary).toContain('db/0001_a.sql')
    expect(result.stdout).toMatch(/::error title=Migration chain%3A checksum-mismatch,file=db\/0001_a\.sql,line=1::/)
    const c = await withClient(db.url, (client) => client.query(`SELECT to_regclass('public.c') AS c`))
    expect(c.rows[0].c).toBeNull()
  }, 60_000)
})
