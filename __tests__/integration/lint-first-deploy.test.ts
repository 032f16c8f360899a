import { afterAll, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { runAlembic } from '../../src/engines/alembic/run.js'
import { PYTHON } from '../support/alembic-project.js'
import { describeNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * Issue 17's measured case: first deploys of Alembic + pgvector chains on an empty database were
 * blocked by the default gate (`fail-on-risk: critical`) on tables that were absent, or created by
 * the same deploy in a way the lint could not read. The chains (__tests__/fixtures/alembic-first-deploy)
 * run through the bundle as the runner runs it: the first deploy passes; the same destructive
 * revision against a database that holds the table with rows is still blocked, and nothing is applied.
 */

interface Finding {
  rule: string
  risk: string
  revision: string
  message: string
  table: string | null
  blocked: boolean
}

const copies: string[] = []

afterAll(async () => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true })
  await dropTestDatabases()
})

/** The chain in a temporary directory: Alembic writes nothing into the repository. */
function copyChain(chain: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pgma-first-deploy-'))
  copies.push(dir)
  cpSync(path.join('__tests__/fixtures/alembic-first-deploy', chain), dir, { recursive: true })
  return dir
}

async function deploy(url: string, dir: string): Promise<{ exitCode: number; summary: string; findings: Finding[] }> {
  const result = (await runAction({
    inputs: { 'database-url': url, 'migrations-path': dir, python: PYTHON, extensions: 'vector' },
    env: { PYTHONDONTWRITEBYTECODE: '1' }
  })) as { exitCode: number; summary: string; outputs: Record<string, string> }
  return { exitCode: result.exitCode, summary: result.summary, findings: JSON.parse(result.outputs.findings ?? '[]') as Finding[] }
}

/** Brings a database to `revision` with Alembic itself, as an earlier deploy did. */
async function upgradeTo(url: string, dir: string, revision: string): Promise<void> {
  const proc = await runAlembic({
    python: PYTHON,
    args: ['upgrade', revision],
    cwd: dir,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', DATABASE_URL: url.replace(/^postgres:\/\//, 'postgresql://') }
  })
  expect(proc.exitCode).toBe(0)
}

async function versionOf(url: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).rows.map((r) => r.version_num))
}

const summaryOf = (findings: Finding[]): string[] =>
  findings.filter((f) => f.risk !== 'low' || f.rule.startsWith('drop')).map((f) => `${f.risk} ${f.rule}${f.blocked ? ' blocked' : ''}`)

describeNeeding(['database', 'alembic'], 'first deploys of Alembic + pgvector chains through the default gate', () => {
  it('DROP TABLE IF EXISTS of a table nothing creates: absent in the target, low, named as such; with the table holding rows, critical and blocked', async () => {
    const dir = copyChain('langchain-cleanup')
    const empty = await createTestDatabase('pgma_first')
    const first = await deploy(empty.url, dir)
    expect(first.exitCode).toBe(0)
    expect(first.findings.filter((f) => f.rule === 'drop-table')).toEqual([
      expect.objectContaining({
        risk: 'low',
        blocked: false,
        message:
          'drops table langchain_pg_embedding IF EXISTS: table langchain_pg_embedding is absent in the target, and no statement before this one in the pending set creates it; IF EXISTS makes the statement a no-op',
        table: 'table langchain_pg_embedding: absent in the target'
      }),
      expect.objectContaining({ risk: 'low', blocked: false, message: expect.stringContaining('langchain_pg_collection is absent in the target') })
    ])
    expect(first.findings.every((f) => f.risk === 'low')).toBe(true)
    expect(await versionOf(empty.url)).toEqual(['3c4d5e6f7a8b'])
    // What the finding says about the target is what the target held: the drop found nothing to drop.
    await withClient(empty.url, async (c) => expect((await c.query(`SELECT to_regclass('langchain_pg_embedding') AS t`)).rows).toEqual([{ t: null }]))

    // An older deployment: the vector store created its tables at run time, and they hold vectors.
    const used = await createTestDatabase('pgma_first')
    await upgradeTo(used.url, dir, '1a2b3c4d5e6f')
    await withClient(used.url, (c) =>
      c.query(`CREATE TABLE langchain_pg_collection (uuid uuid PRIMARY KEY, name varchar);
               CREATE TABLE langchain_pg_embedding (id varchar PRIMARY KEY, collection_id uuid REFERENCES langchain_pg_collection (uuid), embedding vector(3));
               INSERT INTO langchain_pg_collection VALUES ('00000000-0000-0000-0000-000000000001', 'docs');
               INSERT INTO langchain_pg_embedding SELECT g::text, '00000000-0000-0000-0000-000000000001', '[1,2,3]' FROM generate_series(1, 50) g;`)
    )
    const later = await deploy(used.url, dir)
    expect(later.exitCode).toBe(1)
    expect(later.findings.filter((f) => f.rule === 'drop-table')).toEqual([
      expect.objectContaining({
        risk: 'critical',
        blocked: true,
        message: 'drops table langchain_pg_embedding IF EXISTS',
        table: expect.stringMatching(/^table langchain_pg_embedding: (~50 rows|has rows)/)
      }),
      expect.objectContaining({ risk: 'critical', blocked: true, message: 'drops table langchain_pg_collection IF EXISTS' })
    ])
    expect(later.summary).toContain('**Blocked:**')
    expect(await versionOf(used.url)).toEqual(['1a2b3c4d5e6f'])
    await withClient(used.url, async (c) => expect((await c.query('SELECT count(*)::int AS n FROM langchain_pg_embedding')).rows).toEqual([{ n: 50 }]))
  }, 120_000)

  it('drop-column and drop-index on tables a DO block of the same deploy creates: new, no finding; on the populated tables, blocked', async () => {
    const dir = copyChain('dynamic-create')
    const empty = await createTestDatabase('pgma_first')
    const first = await deploy(empty.url, dir)
    expect(first.exitCode).toBe(0)
    expect(summaryOf(first.findings)).toEqual([])
    expect(first.findings.find((f) => f.rule === 'index-on-new-table')?.message).toBe(
      'creates index ix_collection_name on langchain_pg_collection, absent in the target now, so taken as created in this pending set by revision a1b2c3d4e5f6, which the lint could not read in full (a DO block)'
    )
    expect(await versionOf(empty.url)).toEqual(['b2c3d4e5f6a7'])
    await withClient(empty.url, async (c) =>
      expect((await c.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'langchain_pg_embedding'::regclass AND attname = 'custom_id' AND NOT attisdropped`)).rows).toEqual(
        []
      )
    )

    const used = await createTestDatabase('pgma_first')
    await upgradeTo(used.url, dir, 'a1b2c3d4e5f6')
    await withClient(used.url, (c) =>
      c.query(`INSERT INTO langchain_pg_collection VALUES ('00000000-0000-0000-0000-000000000001', 'docs');
               INSERT INTO langchain_pg_embedding (id, collection_id, embedding, custom_id) SELECT g::text, '00000000-0000-0000-0000-000000000001', '[1,2,3]', 'c' || g FROM generate_series(1, 20) g;`)
    )
    const later = await deploy(used.url, dir)
    expect(later.exitCode).toBe(1)
    expect(summaryOf(later.findings)).toEqual([
      'medium drop-index-not-concurrent',
      'critical drop-column blocked',
      'medium drop-index-not-concurrent',
      'medium create-index-not-concurrent'
    ])
    expect(later.findings.find((f) => f.rule === 'drop-index-not-concurrent')).toEqual(
      expect.objectContaining({
        message: 'drops index ix_custom_id under an exclusive lock on table langchain_pg_embedding',
        table: expect.stringMatching(/^table langchain_pg_embedding: /)
      })
    )
    expect(await versionOf(used.url)).toEqual(['a1b2c3d4e5f6'])
    await withClient(used.url, async (c) => expect((await c.query('SELECT count(custom_id)::int AS n FROM langchain_pg_embedding')).rows).toEqual([{ n: 20 }]))
  }, 120_000)

  it('drop-column and drop-index on a table whose creating revision wrote no offline SQL: new, no finding; on the populated table, blocked', async () => {
    const dir = copyChain('offline-guard')
    const empty = await createTestDatabase('pgma_first')
    const first = await deploy(empty.url, dir)
    expect(first.exitCode).toBe(0)
    expect(summaryOf(first.findings)).toEqual([])
    expect(await versionOf(empty.url)).toEqual(['2c3d4e5f6a7b'])
    await withClient(empty.url, async (c) => expect((await c.query(`SELECT to_regclass('item_embeddings_model_idx') AS i`)).rows).toEqual([{ i: null }]))

    const used = await createTestDatabase('pgma_first')
    await upgradeTo(used.url, dir, '1b2c3d4e5f6a')
    await withClient(used.url, (c) =>
      c.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g;
               INSERT INTO item_embeddings SELECT g, '[1,2,3]', 'm', 0.5 FROM generate_series(1, 10) g;`)
    )
    const later = await deploy(used.url, dir)
    expect(later.exitCode).toBe(1)
    expect(summaryOf(later.findings)).toEqual(['medium drop-index-not-concurrent', 'critical drop-column blocked'])
    expect(later.findings.find((f) => f.rule === 'drop-column')).toEqual(
      expect.objectContaining({ message: 'drops column item_embeddings.legacy_score', table: expect.stringMatching(/^table item_embeddings: (~10 rows|has rows)/) })
    )
    expect(await versionOf(used.url)).toEqual(['1b2c3d4e5f6a'])
  }, 120_000)
})
