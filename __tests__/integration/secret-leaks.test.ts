import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun, visible } from '../support/action-run.js'
import { PYTHON, removeProjects, STACKS, writeProject } from '../support/alembic-project.js'
import { describeEachNeeding, describeNeeding } from '../support/capabilities.js'
import { adminQuery, adminUrl, createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * Issue 16 #9, #11, #12, run through the bundle as the runner runs it: a secret must appear nowhere the
 * runner shows or keeps (log, summary, outputs, report file), and a huge input must not be copied into
 * every message that names it.
 */

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgma-ws-'))
  mkdirSync(join(root, 'db'))
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(root, 'db', name), sql)
  return root
}

describe('a database-url that is no URL is refused without repeating it (issue 16 #9)', () => {
  const secret = 'Pw9Secret-x'
  it.each([
    ['a scheme with one slash', { 'database-url': `postgresql:/u:${secret}@127.0.0.1:1/db` }, {}],
    ['a scheme without its colon', { 'database-url': `postgresql//u:${secret}@127.0.0.1:1/db` }, {}],
    ['a bare password', { 'database-url': secret }, {}],
    ['the @host forgotten, so the password reads as the port', { 'database-url': `postgres://u:${secret}/db` }, {}],
    ['a mistyped scheme in the DATABASE_URL fallback', { 'database-url': '' }, { DATABASE_URL: `postgresql:/u:${secret}@127.0.0.1:1/db` }],
    ['a bare password in the DATABASE_URL fallback', { 'database-url': '' }, { DATABASE_URL: secret }]
  ])('%s', async (_label, inputs, env) => {
    const result = (await runAction({ inputs, env })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **inputs**')
    expect(result.stdout).toMatch(/::error::(Input 'database-url'|The DATABASE_URL environment variable) /)
    expect(visible(result)).not.toContain(secret)
    // Masked for the runner too, in case anything else prints it.
    expect(result.stdout).toContain(`::add-mask::${secret}`)
  })
})

describeNeeding(['database'], 'passwords inside DO bodies, function bodies and EXECUTE strings (issue 16 #11)', () => {
  afterAll(() => dropTestDatabases())

  const secrets = ['DoBody-Secret1', 'Exec-Secret2', 'Format-Secret3', 'Var-Secret4', 'Concat-Secret5', 'FnBody-Secret6', 'Nested-Secret7']
  const roles = [
    'DO $$',
    'BEGIN',
    "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgma_never_created') THEN",
    "    CREATE ROLE pgma_never_created LOGIN PASSWORD 'DoBody-Secret1';",
    '  END IF;',
    "  EXECUTE 'ALTER ROLE pgma_never_created PASSWORD ''Exec-Secret2''';",
    "  EXECUTE format('ALTER ROLE %I PASSWORD %L', 'pgma_never_created', 'Format-Secret3');",
    'END',
    '$$;',
    'CREATE FUNCTION rotate_password() RETURNS void LANGUAGE plpgsql AS $fn$',
    "DECLARE pw text := 'Var-Secret4';",
    'BEGIN',
    "  EXECUTE format('ALTER ROLE pgma_never_created PASSWORD %L', pw);",
    "  EXECUTE 'ALTER ROLE pgma_never_created PASSWORD ' || quote_literal('Concat-Secret5');",
    "  ALTER ROLE pgma_never_created PASSWORD 'FnBody-Secret6';",
    'END',
    '$fn$;',
    "DO 'BEGIN IF false THEN EXECUTE ''CREATE ROLE pgma_never_created PASSWORD ''''Nested-Secret7''''''; END IF; END';",
    ''
  ].join('\n')

  it('plan shows the SQL with every password masked', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({ '0001_roles.sql': roles })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', mode: 'plan' } })) as ActionRun
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain("CREATE ROLE pgma_never_created LOGIN PASSWORD '***'")
    expect(result.summary).toContain("format('ALTER ROLE %I PASSWORD %L', 'pgma_never_created', '***')")
    expect(result.summary).toContain("DECLARE pw text := '***'")
    for (const secret of secrets) expect(visible(result)).not.toContain(secret)
  }, 60_000)

  it('a failing EXECUTE format(…) shows neither the password nor the statement the server quotes back', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({
      '0001_rotate.sql': "DO $$\nBEGIN\n  EXECUTE format('ALTER ROLE %I PASSWORD %L', 'pgma_no_such_role', 'Fail''s-Secret8');\nEND\n$$;\n"
    })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db' } })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('role &quot;pgma_no_such_role&quot; does not exist')
    expect(visible(result)).not.toContain('s-Secret8')
  }, 60_000)

  it('the blocking session named on a lock timeout is shown without its string literals', async () => {
    const db = await createTestDatabase()
    const role = `${db.name}_holder`
    await adminQuery(`CREATE ROLE ${role}`)
    const cwd = workspace({ '0001_busy.sql': 'CREATE TABLE busy (id int);\n' })
    expect(((await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '' } })) as ActionRun).exitCode).toBe(0)
    writeFileSync(join(cwd, 'db', '0002_alter.sql'), 'ALTER TABLE busy ADD COLUMN note text;\n')
    const holder = new pg.Client({ connectionString: db.url, application_name: 'rotation-job' })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE busy IN ACCESS EXCLUSIVE MODE')
      await holder.query(`ALTER ROLE ${role} PASSWORD 'Blocker-Secret9'`)
      const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '', 'lock-timeout': '1s', retries: '0' } })) as ActionRun
      expect(result.exitCode).toBe(1)
      expect(result.summary).toMatch(/Lock held by: pid \d+ \(rotation-job, idle in transaction for [\d.]+ s\): ALTER ROLE \S+ PASSWORD '…'/)
      expect(visible(result)).not.toContain('Blocker-Secret9')
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
      await adminQuery(`DROP ROLE IF EXISTS ${role}`)
    }
  }, 60_000)
})

describeEachNeeding(['database'], STACKS, "SQLAlchemy's own spelling of the URL under $name (issue 16 #11)", (stack) => {
  afterAll(async () => {
    removeProjects()
    await dropTestDatabases()
  })

  it('masks the password wherever env.py prints the URL SQLAlchemy rebuilt (render_as_string(hide_password=False), str(url))', async () => {
    const db = await createTestDatabase()
    const role = `${db.name}_sa`
    // A space ends the unregistered-URL pattern; : / @ + ! and ä are spelled differently by SQLAlchemy 1.4, 2.0 and encodeURIComponent.
    const password = "Qz7 Pw:1/@+!'ä"
    await adminQuery(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password.replace(/'/g, "''")}'`)
    try {
      const project = writeProject({
        revisions: [
          {
            id: 'a1',
            upgrade: [
              'import sys',
              'url = op.get_bind().engine.url',
              'print("rendered:", url.render_as_string(hide_password=False), file=sys.stderr)',
              'print("str:", str(url), "repr:", repr(url.password), file=sys.stderr)',
              'raise RuntimeError("refusing " + url.render_as_string(hide_password=False))'
            ]
          }
        ]
      })
      const admin = new URL(adminUrl!)
      const result = (await runAction({
        inputs: { 'database-url': `postgresql://${role}:${encodeURIComponent(password)}@${admin.host}/${db.name}`, 'migrations-path': project, python: PYTHON, extensions: '' },
        env: stack.pythonPath ? { PYTHONPATH: stack.pythonPath } : {}
      })) as ActionRun
      expect(result.exitCode).toBe(1)
      expect(visible(result)).toContain('refusing postgresql://')
      expect(visible(result)).not.toContain('Qz7')
      expect(await withClient(db.url, async (c) => (await c.query(`SELECT to_regclass('alembic_version') AS t`)).rows[0].t)).toBeNull()
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`)
      await adminQuery(`DROP ROLE IF EXISTS ${role}`)
    }
  }, 90_000)
})

describeNeeding(['database'], 'huge input values are cut where a message repeats them (issue 16 #12)', () => {
  afterAll(() => dropTestDatabases())
  const huge = (head: string): string => head + 'x'.repeat(120_000)

  it.each([
    ['mode', { mode: huge('m') }],
    ['extensions, one long name', { extensions: huge('e') }],
    ['extensions, thousands of names', { extensions: Array.from({ length: 12_000 }, (_, i) => `ext${i}`).join(',') }],
    ['migrations-path', { 'migrations-path': huge('p') }],
    ['history-table', { 'history-table': huge('h') }],
    ['python', { python: huge('py') }],
    ['alembic-requirements', { 'alembic-requirements': huge('r') }],
    ['repair-revision outside repair mode', { 'repair-revision': huge('r') }],
    ['repair-revision in repair mode', { mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': huge('r'), 'migrations-path': 'migrations-example/sql' }],
    ['sslrootcert in database-url', { 'database-url': '' }]
  ])(
    '%s',
    async (label, inputs) => {
      const db = await createTestDatabase()
      const given: Record<string, string> = { 'database-url': db.url, 'migrations-path': 'migrations-example/sql', ...inputs }
      if (label.startsWith('sslrootcert')) given['database-url'] = `${db.url}?sslrootcert=/${'c'.repeat(120_000)}`
      const result = (await runAction({ inputs: given })) as ActionRun
      expect(result.exitCode).toBe(1)
      expect(result.summary.length).toBeLessThan(10_000)
      expect(result.stdout.length).toBeLessThan(10_000)
      expect(visible(result)).toMatch(/… \([\d,]+ more characters\)|\d+ more extensions of the input|at most 100 are checked/)
      // Cut to a few hundred characters wherever it is repeated.
      expect(visible(result)).not.toMatch(/[xc]{1000}/)
    },
    60_000
  )
})
