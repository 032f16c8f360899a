import { afterAll, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

  it('matrix jobs upload their report-json; mode: summarize merges them into one table, red when a database failed', async () => {
    const cwd = workspace()
    const fleet = [await createTestDatabase('fb_h'), await createTestDatabase('fb_i'), await createTestDatabase('fb_j'), await createTestDatabase('fb_k')]
    await withClient(fleet[3].url, (c) => c.query('CREATE TABLE documents (id int)'))
    // Two slices, as two matrix jobs would run them, and a run on one database (a fleet of one).
    const slices = await Promise.all([
      run(cwd, {
        databases: fleet
          .slice(0, 2)
          .map((d) => d.url)
          .join('\n'),
        'migrations-path': 'db'
      }),
      run(cwd, { databases: fleet[2].url, 'migrations-path': 'db', canary: '0' }),
      run(cwd, { 'database-url': fleet[3].url, 'migrations-path': 'db' })
    ])
    expect(slices.map((r) => r.exitCode)).toEqual([0, 0, 1])
    const downloaded = mkdtempSync(join(tmpdir(), 'pgma-reports-'))
    made.push(downloaded)
    slices.forEach((slice, i) => {
      const json = slice.outputs['report-json']
      expect(json).toBe(slice.outputs['report-path'].replace(/\.md$/, '.json'))
      mkdirSync(join(downloaded, `pg-migrate-report-${i}`))
      copyFileSync(json, join(downloaded, `pg-migrate-report-${i}`, 'report.json'))
    })
    const single = JSON.parse(readFileSync(slices[2].outputs['report-json'], 'utf8'))
    expect(single).toMatchObject({ format: 'pg-migrate-action/report', version: 1, status: 'failure', run: { status: 'failure', error: { code: 'migration-failed' } } })

    const summary = await run(cwd, { mode: 'summarize', 'reports-path': downloaded })
    expect(summary.exitCode).toBe(1)
    expect(summary.summary).toContain('## ❌ pg-migrate-action · migrate 4 databases: 1 failed, 3 migrated')
    expect(summary.summary).toContain('Merged 3 reports from')
    const rows = [...summary.summary.matchAll(/^\| (✅|❌) `(fb_\w)_/gm)].map((m) => `${m[1]} ${m[2]}`)
    expect(rows).toEqual(['❌ fb_k', '✅ fb_h', '✅ fb_i', '✅ fb_j'])
    expect(summary.summary).toContain('> **Migration `0001` failed: relation &quot;documents&quot; already exists')
    expect(summary.outputs['applied-count']).toBe('6')
    expect(JSON.parse(summary.outputs.targets).map((t: { status: string }) => t.status)).toEqual(['success', 'success', 'success', 'failure'])
    expect(visible(summary)).not.toContain(new URL(adminUrl!).password)
    for (const slice of slices) expect(readFileSync(slice.outputs['report-json'], 'utf8')).not.toContain(new URL(adminUrl!).password)

    const empty = await run(cwd, { mode: 'summarize', 'reports-path': cwd })
    expect(empty.exitCode).toBe(1)
    expect(empty.summary).toContain("Input 'reports-path'")
    expect(empty.summary).toContain('reports-missing')
  }, 180_000)

  it('without databases or databases-query, the step runs on database-url alone, as before', async () => {
    const cwd = workspace()
    const db = await createTestDatabase('fb_g')
    const result = await run(cwd, { 'database-url': db.url, 'migrations-path': 'db' })
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('## ✅ pg-migrate-action · migrate: applied 2 migrations')
    expect(result.outputs.targets).toBeUndefined()
    expect(Object.keys(result.outputs).sort()).toEqual(
      [
        'applied',
        'applied-count',
        'current-version',
        'duration-ms',
        'extension-versions',
        'findings',
        'max-risk',
        'pending-count',
        'report-json',
        'report-path',
        'server-version'
      ].sort()
    )
  }, 60_000)
})
