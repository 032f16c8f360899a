import { afterAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun, visible } from '../support/action-run.js'
import { describeNeeding } from '../support/capabilities.js'
import { adminUrl, createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/** Many databases from the bundled action, run as the runner runs it: every action.yml default as INPUT_*. */

const made: string[] = []
afterAll(async () => {
  await dropTestDatabases()
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true })
})

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'pgma-ws-'))
  made.push(root)
  mkdirSync(join(root, 'db'))
  writeFileSync(join(root, 'db/0001_documents.sql'), 'CREATE TABLE documents (id bigint PRIMARY KEY, embedding vector(3));\n')
  writeFileSync(join(root, 'db/0002_title.sql'), 'ALTER TABLE documents ADD COLUMN title text;\n')
  return root
}

const run = (cwd: string, inputs: Record<string, string>): Promise<ActionRun> => runAction({ cwd, inputs, env: { GITHUB_WORKSPACE: cwd } }) as Promise<ActionRun>

const versions = (url: string): Promise<string[]> =>
  withClient(url, async (c) =>
    (await c.query(`SELECT to_regclass('public.pg_migrate_history') AS t`)).rows[0].t
      ? (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version)
      : []
  )

describeNeeding(['database'], 'many databases from the bundled action', () => {
  it('migrates every database of the list, one table in the summary, totals and targets in the outputs, no password anywhere', async () => {
    const cwd = workspace()
    const fleet = [await createTestDatabase('fb_a'), await createTestDatabase('fb_b'), await createTestDatabase('fb_c')]
    const result = await run(cwd, { databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': 'db' })
    expect(result.exitCode).toBe(0)
    for (const d of fleet) expect(await versions(d.url)).toEqual(['0001', '0002'])
    expect(result.summary).toContain('## ✅ pg-migrate-action · migrate 3 databases: 3 migrated')
    expect(result.summary).toContain(`| ✅ \`${fleet[1].name}\` | base → \`0002\` | 2 |`)
    expect(result.outputs['applied-count']).toBe('6')
    expect(result.outputs['pending-count']).toBe('0')
    const targets = JSON.parse(result.outputs.targets) as { target: string; status: string; applied: number; to: string[] }[]
    expect(targets.map((t) => [t.target.split('/').pop(), t.status, t.applied, t.to])).toEqual(fleet.map((d) => [d.name, 'success', 2, ['0002']]))
    expect(result.outputs['report-path']).toMatch(/\.md$/)
    const password = new URL(adminUrl!).password
    expect(password.length).toBeGreaterThan(2)
    expect(visible(result)).not.toContain(password)
    expect(result.stdout).toContain(`::add-mask::${password}`)
  }, 120_000)

  it('a broken canary fails the step with one annotation and stops the rest; the others are untouched', async () => {
    const cwd = workspace()
    const fleet = [await createTestDatabase('fb_d'), await createTestDatabase('fb_e'), await createTestDatabase('fb_f')]
    await withClient(fleet[0].url, (c) => c.query('CREATE TABLE documents (id int)'))
    const result = await run(cwd, { databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': 'db' })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('## ❌ pg-migrate-action · migrate 3 databases: 1 failed, 2 not run')
    expect(result.stdout).toMatch(
      new RegExp(`::error title=pg-migrate-action%3A postgres@[^:]+%3A\\d+/${fleet[0].name} failed::.*Migration 0001 failed: relation "documents" already exists`)
    )
    expect(result.stdout).toContain('::error::1 of 3 databases failed')
    for (const d of fleet) expect(await versions(d.url)).toEqual([])
    expect(visible(result)).not.toContain(new URL(adminUrl!).password)
  }, 120_000)

  it('without databases or databases-query, the step runs on database-url alone, as before', async () => {
    const cwd = workspace()
    const db = await createTestDatabase('fb_g')
    const result = await run(cwd, { 'database-url': db.url, 'migrations-path': 'db' })
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('## ✅ pg-migrate-action · migrate: applied 2 migrations')
    expect(result.outputs.targets).toBeUndefined()
  }, 60_000)
})
