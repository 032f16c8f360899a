import { afterAll, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { NEW_PYTHONPATH, PYTHON } from '../support/alembic-project.js'
import { type ActionRun, visible } from '../support/action-run.js'
import { describeEachNeeding, describeNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * Post-migration checks and mode: downgrade from the bundled action, run as the runner runs it
 * (every action.yml default as INPUT_*, the workspace as the working directory and GITHUB_WORKSPACE).
 */

const made: string[] = []
afterAll(async () => {
  await dropTestDatabases()
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true })
})

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgma-ws-'))
  made.push(root)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true })
    writeFileSync(join(root, name), text)
  }
  return root
}

const run = (cwd: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> =>
  runAction({ cwd, inputs, env: { GITHUB_WORKSPACE: cwd, ...env } }) as Promise<ActionRun>

const dbmate = (up: string, down: string): string => `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`

describeNeeding(['database'], 'checks and mode: downgrade from the bundled action (SQL)', () => {
  it('a check that finds bad rows fails the step with an annotation at its line and the rows in the summary', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({
      'db/0001_documents.sql': "CREATE TABLE documents (id int PRIMARY KEY, embedding vector(3));\nINSERT INTO documents VALUES (1, '[1,2,3]'), (7, NULL);\n",
      'checks/embeddings.sql': '-- every document has an embedding\nSELECT id FROM documents WHERE embedding IS NULL;\n'
    })
    const result = await run(cwd, { 'database-url': db.url, 'migrations-path': 'db', checks: 'checks' })
    expect(result.exitCode).toBe(1)
    // The annotation at the check's line, with the rows it returned (the runner's escaping: %3A is ':', %0A a line break).
    expect(result.stdout).toContain(
      '::error title=Check failed%3A every document has an embedding,file=checks/embeddings.sql,line=2::Check "every document has an embedding" (checks/embeddings.sql:2) returned 1 row; a check passes when it returns none.%0Aid%0A7\n'
    )
    expect(result.stdout).toContain('::error::Check "every document has an embedding" (checks/embeddings.sql:2) returned 1 row; a check passes when it returns none.')
    expect(result.summary).toContain('failed at **checks**: 1 of 1 check failed, 1 migration applied')
    expect(result.summary).toContain('| ❌ | every document has an embedding | `checks/embeddings.sql:2` | 1 row |')
    expect(result.summary).toContain('| id |\n| --- |\n| `7` |')
    expect(result.outputs['applied-count']).toBe('1')
    expect(result.outputs['current-version']).toBe('0001')
    expect(await withClient(db.url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM documents`)).rows[0].n)).toBe(2)
    expect(visible(result)).not.toContain(new URL(db.url).password)
  })

  it('mode: downgrade returns to the target, records it, and gives current-version; a missing down section stops it first', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({
      'db/0001_documents.sql': dbmate('CREATE TABLE documents (id int PRIMARY KEY);', 'DROP TABLE documents;'),
      'db/0002_chunks.sql': dbmate('CREATE TABLE chunks (id int PRIMARY KEY);', '-- pg-migrate:allow drop-table reason: chunks are derived data\nDROP TABLE chunks;'),
      'db/0003_title.sql': dbmate(
        'ALTER TABLE documents ADD COLUMN title text;',
        '-- pg-migrate:allow drop-column reason: title is new in 0003\nALTER TABLE documents DROP COLUMN title;'
      )
    })
    expect((await run(cwd, { 'database-url': db.url, 'migrations-path': 'db' })).exitCode).toBe(0)

    const result = await run(cwd, { 'database-url': db.url, 'migrations-path': 'db', mode: 'downgrade', 'target-revision': '0001' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['current-version']).toBe('0001')
    expect(result.outputs['pending-count']).toBe('2')
    expect(result.summary).toContain('### Downgrade to `0001`\n\n**Database state:** 2 migrations reverted in this run (`0003`, `0002`); now at `0001`.')
    const versions = (): Promise<string[]> => withClient(db.url, async (c) => (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version))
    expect(await versions()).toEqual(['0001'])
    expect(await withClient(db.url, async (c) => (await c.query(`SELECT to_regclass('chunks') AS t`)).rows[0].t)).toBeNull()

    writeFileSync(join(cwd, 'db/0001_documents.sql'), 'CREATE TABLE documents (id int PRIMARY KEY);\n')
    // The edit dropped only the down section: the up section, and so the checksum, is the same.
    const refused = await run(cwd, { 'database-url': db.url, 'migrations-path': 'db', mode: 'downgrade', 'target-revision': 'base' })
    expect(refused.exitCode).toBe(1)
    expect(refused.stdout).toContain('::error::Cannot downgrade to base: db/0001_documents.sql has no down section, so it cannot be reverted. Nothing was reverted.')
    expect(refused.outputs['current-version']).toBe('0001')
    expect(await versions()).toEqual(['0001'])
  })
})

const stacks = [
  { name: 'Alembic 1.8 + SQLAlchemy 1.4 (/usr/bin/python3)', env: {} as Record<string, string>, needs: ['database', 'alembic'] as const },
  { name: 'Alembic 1.13 + SQLAlchemy 2.0 (TEST_ALEMBIC_NEW_PYTHONPATH)', env: { PYTHONPATH: NEW_PYTHONPATH ?? '' }, needs: ['database', 'alembic', 'alembic-1.13'] as const }
].map((s) => ({ ...s, needs: [...s.needs] }))

describeEachNeeding([], stacks, 'mode: downgrade from the bundled action, $name', (stack) => {
  it('returns the example Alembic chain to a target revision, records it and gives current-version', async () => {
    const db = await createTestDatabase()
    const cwd = workspace({})
    cpSync('migrations-example/alembic', join(cwd, 'alembic'), { recursive: true })
    const inputs = { 'database-url': db.url, 'migrations-path': 'alembic', python: PYTHON }
    const up = await run(cwd, inputs, stack.env)
    expect(up.exitCode).toBe(0)
    const revisions = up.outputs['applied'] ? (JSON.parse(up.outputs['applied']) as { revision: string }[]).map((r) => r.revision) : []
    expect(revisions.length).toBeGreaterThanOrEqual(2)
    const target = revisions[0]

    const down = await run(cwd, { ...inputs, mode: 'downgrade', 'target-revision': target, 'fail-on-risk': 'none' }, stack.env)
    expect(down.exitCode).toBe(0)
    expect(down.outputs['current-version']).toBe(target)
    expect(await withClient(db.url, async (c) => (await c.query(`SELECT version_num FROM alembic_version`)).rows.map((r) => r.version_num))).toEqual([target])
    expect(down.summary).toContain(`### Downgrade to \`${target}\``)
    expect(down.summary).toContain(`now at \`${target}\`.`)
    for (const id of revisions.slice(1)) expect(down.summary).toMatch(new RegExp(`\\| \`${id}\` \\| [^|]* \\| ↩️ reverted \\|`))
    expect(down.stdout).toContain(`alembic downgrade ${target}`)
  })
})
