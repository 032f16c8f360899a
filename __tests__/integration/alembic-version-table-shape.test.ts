import { afterAll, expect, it } from '@jest/globals'
import { readVersionRows } from '../../src/engines/alembic/version-table.js'
import { ActionError } from '../../src/errors.js'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'

/** issue 7 #7: alembic-version-table naming an existing non-Alembic table was reported as a bug in the action. */
describeWithAnyDatabase('a version table that is not Alembic’s', () => {
  afterAll(() => dropTestDatabases())

  const DOCUMENTS = 'CREATE TABLE documents (id serial PRIMARY KEY, title text NOT NULL, body text)'

  it('is named, with what it has and what Alembic needs, from the input that chose it', async () => {
    const db = await createTestDatabase()
    await withClient(db.url, async (client) => {
      await client.query(DOCUMENTS)
      const error = await readVersionRows(client, { table: 'documents', source: 'input' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ActionError)
      expect(error).toMatchObject({ code: 'alembic-version-table-incompatible', location: { input: 'alembic-version-table' } })
      const { message, hint } = error as ActionError
      expect(message).toBe(
        'The table documents (from the alembic-version-table input) is not an Alembic version table: it has columns id (integer), title (text), body (text), where Alembic keeps one varchar column version_num.'
      )
      expect(hint).toContain('Point the alembic-version-table input at the Alembic version table')
    })
  })

  it('refuses a table with version_num that Alembic could not stamp, and reads a real one', async () => {
    const db = await createTestDatabase()
    await withClient(db.url, async (client) => {
      await client.query('CREATE TABLE meta_versions (version_num varchar(32) PRIMARY KEY, team text NOT NULL)')
      await expect(readVersionRows(client, { table: 'meta_versions', source: 'alembic.ini' })).rejects.toThrow(
        'from version_table in alembic.ini) is not an Alembic version table: it has columns version_num (character varying), team (text), where Alembic keeps one varchar column version_num (and cannot fill team).'
      )
      await client.query(`CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`)
      await client.query(`INSERT INTO alembic_version VALUES ('abc123')`)
      expect(await readVersionRows(client, { table: 'alembic_version', source: 'default' })).toEqual(['abc123'])
    })
  })

  it('fails the bundled action with that message, not as an internal error', async () => {
    const db = await createTestDatabase()
    await withClient(db.url, (client) => client.query(DOCUMENTS))
    const result = (await runAction({
      inputs: { 'database-url': db.url, 'migrations-path': 'migrations-example/alembic', 'alembic-version-table': 'documents', mode: 'validate', extensions: '' }
    })) as { exitCode: number; summary: string; stdout: string }
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('is not an Alembic version table')
    expect(result.summary).toContain('Input: `alembic-version-table`')
    expect(result.summary).not.toMatch(/internal error|a bug in pg-migrate-action/i)
  }, 60_000)
})
