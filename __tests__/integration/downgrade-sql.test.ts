import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CancelledError } from '../../src/cancel.js'
import type { InputName } from '../../src/inputs.js'
import { LOCK_KEY } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { itNeeding } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/** mode: downgrade with SQL chains, through the pipeline, against the real server. */

let url: string
let dir: MigrationDir
beforeEach(async () => {
  url = (await createTestDatabase('pgma_down')).url
  dir = new MigrationDir()
})
afterEach(() => dir.cleanup())
afterAll(() => dropTestDatabases())

function run(inputs: Partial<Record<InputName, string>> = {}) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, extensions: 'vector', ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env: process.env })
}

/** The lint's verdicts on down sections have their own test; elsewhere every DROP would need an acknowledgement. */
const downgrade = (target: string, inputs: Partial<Record<InputName, string>> = {}) => run({ mode: 'downgrade', 'target-revision': target, 'fail-on-risk': 'none', ...inputs })

const dbmate = (up: string, down?: string, downMarker = '-- migrate:down'): string => `-- migrate:up\n${up}\n${down === undefined ? '' : `\n${downMarker}\n${down}\n`}`

const CHAIN = {
  '0001_documents.sql': dbmate('CREATE TABLE documents (id bigint PRIMARY KEY, title text NOT NULL, embedding vector(3));', 'DROP TABLE documents;'),
  '0002_summary.sql': dbmate('ALTER TABLE documents ADD COLUMN summary text;', 'ALTER TABLE documents DROP COLUMN summary;'),
  '0003_title_index.sql': dbmate('CREATE INDEX documents_title_idx ON documents (title);', 'DROP INDEX documents_title_idx;')
}

/** What the database holds: the history's versions and the objects the chain creates. */
async function held(): Promise<{ versions: string[]; documents: boolean; summary: boolean; index: boolean }> {
  return withClient(url, async (c) => {
    const history = (await c.query(`SELECT to_regclass('pg_migrate_history') AS t`)).rows[0].t
    const versions = history ? (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version) : []
    const objects = (
      await c.query(
        `SELECT to_regclass('documents') IS NOT NULL AS documents, to_regclass('documents_title_idx') IS NOT NULL AS index,
                EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('documents') AND attname = 'summary' AND NOT attisdropped) AS summary`
      )
    ).rows[0]
    return { versions, documents: objects.documents, summary: objects.summary, index: objects.index }
  })
}

describeWithDatabase('mode: downgrade, SQL chains', () => {
  it('reverts every migration above the target, newest first, each with its history row, and reports the state it reached', async () => {
    dir.write(CHAIN)
    expect((await run()).report.status).toBe('success')
    const { report } = await downgrade('0001')
    expect(report.error).toBeUndefined()
    expect(report.stages.map((s) => s.name)).toEqual(['inputs', 'wait', 'extensions', 'load chain', 'lock', 'validate', 'lint', 'downgrade'])
    expect(report.downgrade!.runs.map((r) => `${r.id} ${r.status}`)).toEqual(['0003 reverted', '0002 reverted'])
    expect(report.downgrade!.current).toEqual(['0001'])
    expect(await held()).toEqual({ versions: ['0001'], documents: true, summary: false, index: false })
    const summary = renderReport(report)
    // The down sections' DROP INDEX and DROP COLUMN are findings (fail-on-risk none here): the headline asks for a look.
    expect(summary).toContain('## ⚠️ pg-migrate-action · downgrade: reverted 2 migrations, now at `0001`, 2 lint findings to review')
    expect(summary).toContain('- Database is now at: `0001`')
    expect(summary).toContain('### Downgrade to `0001`\n\n**Database state:** 2 migrations reverted in this run (`0003`, `0002`); now at `0001`.')
    expect(summary).toMatch(/\| `0003` \| title index \| ↩️ reverted \| \d+ ms \|/)

    // The next run applies them again.
    const again = await run()
    expect(again.report.apply!.runs.map((r) => `${r.id} ${r.status}`)).toEqual(['0002 applied', '0003 applied'])
  })

  it('returns to base, and a second run finds nothing to revert', async () => {
    dir.write(CHAIN)
    await run()
    const { report } = await downgrade('base')
    expect(report.error).toBeUndefined()
    expect(report.downgrade!.runs.map((r) => r.id)).toEqual(['0003', '0002', '0001'])
    expect(report.downgrade!.current).toEqual([])
    expect(await held()).toEqual({ versions: [], documents: false, summary: false, index: false })
    expect(renderReport(report)).toContain('no migration applied now (base)')

    const nothing = await downgrade('base')
    expect(nothing.report.error).toBeUndefined()
    expect(nothing.report.downgrade).toEqual({ target: 'base', runs: [], current: [] })
    expect(renderReport(nothing.report)).toContain('already at `base`, nothing to revert')
  })

  it('refuses before anything is reverted when a migration on the way has no down section, naming it', async () => {
    dir.write({ ...CHAIN, '0002_summary.sql': 'ALTER TABLE documents ADD COLUMN summary text;\n' })
    await run()
    const { report } = await downgrade('base')
    expect(report.error).toEqual(
      expect.objectContaining({
        stage: 'lint',
        code: 'downgrade-irreversible',
        location: expect.objectContaining({ revision: '0002', file: expect.stringMatching(/0002_summary\.sql$/) })
      })
    )
    expect(report.error!.message).toMatch(/^Cannot downgrade to base: \S*0002_summary\.sql has no down section, so it cannot be reverted\. Nothing was reverted\.$/)
    expect(report.downgrade).toBeUndefined()
    expect(await held()).toEqual({ versions: ['0001', '0002', '0003'], documents: true, summary: true, index: true })
    expect(renderReport(report)).toContain('**Database state:** unchanged, at `0003`; this run reverted nothing.')

    // Above it, the way down is open.
    expect((await downgrade('0002')).report.downgrade!.current).toEqual(['0002'])
  })

  it('refuses a target that is not applied or not in the chain', async () => {
    dir.write(CHAIN)
    await run()
    await downgrade('0002')
    for (const [target, why] of [
      ['0003', 'is a migration of the chain that is not applied'],
      ['0009', 'is no version of the chain']
    ]) {
      const { report } = await downgrade(target)
      expect(report.error).toEqual(expect.objectContaining({ code: 'downgrade-target-invalid', location: { input: 'target-revision' } }))
      expect(report.error!.message).toBe(`Input 'target-revision' is '${target}', which ${why}: the database is at 0002. Nothing was reverted.`)
    }
    expect((await held()).versions).toEqual(['0001', '0002'])
    expect((await run({ mode: 'downgrade' })).report.error).toEqual(expect.objectContaining({ code: 'invalid-input', location: { input: 'target-revision' } }))
  })

  it('runs a down section marked transaction:false, or one that cannot run in a transaction, statement by statement', async () => {
    dir.write({
      '0001_documents.sql': CHAIN['0001_documents.sql'],
      '0002_concurrently.sql': dbmate('CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);', 'DROP INDEX CONCURRENTLY documents_title_idx;'),
      '0003_marked.sql': dbmate('ALTER TABLE documents ADD COLUMN summary text;', 'ALTER TABLE documents DROP COLUMN summary;', '-- migrate:down transaction:false')
    })
    await run()
    const { report } = await downgrade('0001')
    expect(report.error).toBeUndefined()
    expect(report.downgrade!.runs.map((r) => [r.id, r.status, r.transactional, r.notes[0]])).toEqual([
      ['0003', 'reverted', false, expect.stringContaining('(-- migrate:down transaction:false (line 4))')],
      ['0002', 'reverted', false, expect.stringContaining('DROP INDEX CONCURRENTLY cannot run inside a transaction block')]
    ])
    expect(await held()).toEqual({ versions: ['0001'], documents: true, summary: false, index: false })
  })

  it('stops at a failing down section: the ones before it stay reverted, it is rolled back, and the report reads the state from the database', async () => {
    dir.write({
      ...CHAIN,
      '0002_summary.sql': dbmate('ALTER TABLE documents ADD COLUMN summary text;', 'ALTER TABLE documents DROP COLUMN summary;\nALTER TABLE documents DROP COLUMN headline;')
    })
    await run()
    const { report } = await downgrade('base')
    expect(report.error).toEqual(expect.objectContaining({ stage: 'downgrade', code: 'revert-failed', location: expect.objectContaining({ revision: '0002', line: 6 }) }))
    expect(report.error!.message).toBe('Reverting 0002 failed: column "headline" of relation "documents" does not exist')
    expect(report.downgrade!.runs.map((r) => `${r.id} ${r.status}`)).toEqual(['0003 reverted', '0002 failed', '0001 not-run'])
    expect(report.downgrade!.current).toEqual(['0002'])
    expect(await held()).toEqual({ versions: ['0001', '0002'], documents: true, summary: true, index: false })
    const summary = renderReport(report)
    expect(summary).toContain('failed at **downgrade** on migration `0002` (1 of 3 reverted)')
    expect(summary).toContain('**Database state:** 1 migration reverted in this run (`0003`); now at `0002`. Rolled back: nothing of the down section of')
    expect(summary).toContain('> 6 | ALTER TABLE documents DROP COLUMN headline;')
  })

  it('marks a down section that fails part-way outside a transaction dirty, says what stayed, and mode: repair resolves it', async () => {
    dir.write({
      '0001_documents.sql': CHAIN['0001_documents.sql'],
      '0002_indexes.sql': dbmate(
        'CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);',
        'DROP INDEX CONCURRENTLY documents_title_idx;\nDROP INDEX CONCURRENTLY documents_missing_idx;'
      )
    })
    await run()
    const { report } = await downgrade('0001')
    expect(report.error).toEqual(expect.objectContaining({ code: 'revert-failed', location: expect.objectContaining({ revision: '0002', line: 6 }) }))
    expect(report.downgrade!.failure!.databaseState).toMatch(
      /^\S*0002_indexes\.sql's down section ran outside a transaction: statements 1–1 of its down section took effect and stay; statement 2 failed\. Its history row is marked dirty/
    )
    const row = await withClient(url, async (c) => (await c.query(`SELECT dirty, statements_done, statements_total FROM pg_migrate_history WHERE version = '0002'`)).rows[0])
    expect(row).toEqual({ dirty: true, statements_done: 1, statements_total: 2 })
    expect((await held()).index).toBe(false)
    // The next run refuses the dirty state until the repair the report names.
    expect((await downgrade('0001')).report.error).toEqual(expect.objectContaining({ stage: 'validate', code: 'chain-invalid' }))
    expect((await run({ mode: 'repair', 'repair-revision': '0002', 'repair-action': 'mark-pending' })).report.error).toBeUndefined()
    expect((await held()).versions).toEqual(['0001'])
  })

  it('a cancel stops the down section in flight on the server: it rolls back, and the run says what the database holds', async () => {
    dir.write({ ...CHAIN, '0003_title_index.sql': dbmate('CREATE INDEX documents_title_idx ON documents (title);', 'DROP INDEX documents_title_idx;\nSELECT pg_sleep(30);') })
    await run()
    const controller = new AbortController()
    const all: Partial<Record<InputName, string>> = {
      'database-url': url,
      'migrations-path': dir.dir,
      extensions: '',
      mode: 'downgrade',
      'target-revision': 'base',
      'fail-on-risk': 'none'
    }
    const started = Date.now()
    const running = runPipeline((name) => all[name], { log: silentLogger(), env: process.env, signal: controller.signal })
    setTimeout(() => controller.abort(new CancelledError('SIGINT')), 1500)
    const { report } = await running
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(report.error).toEqual(expect.objectContaining({ stage: 'downgrade', code: 'cancelled' }))
    expect(report.error!.message).toMatch(/^The run was cancelled \(SIGINT\) while the down section of \S*0003_title_index\.sql ran\.$/)
    expect(report.downgrade!.runs.map((r) => `${r.id} ${r.status}`)).toEqual(['0003 failed', '0002 not-run', '0001 not-run'])
    expect(report.downgrade!.current).toEqual(['0003'])
    expect(await held()).toEqual({ versions: ['0001', '0002', '0003'], documents: true, summary: true, index: true })
  })

  it('lints the down SQL: dropping a table that holds rows is critical and blocks until acknowledged', async () => {
    dir.write({
      '0001_documents.sql': CHAIN['0001_documents.sql'],
      '0002_chunks.sql': dbmate('CREATE TABLE chunks (id int PRIMARY KEY, body text);', 'DROP TABLE chunks;')
    })
    await run()
    await withClient(url, (c) => c.query(`INSERT INTO chunks VALUES (1, 'kept')`))
    const blocked = await downgrade('0001', { 'fail-on-risk': 'critical' })
    expect(blocked.report.error).toEqual(expect.objectContaining({ stage: 'lint', code: 'lint-blocked' }))
    expect(blocked.report.lint!.result.findings).toEqual([expect.objectContaining({ rule: 'drop-table', risk: 'critical', revision: '0002', line: 5 })])
    expect(blocked.report.lint!.result.findings[0].table).toContain('chunks')
    expect((await held()).versions).toEqual(['0001', '0002'])

    expect((await downgrade('0001', { 'fail-on-risk': 'none' })).report.downgrade!.current).toEqual(['0001'])
    await run()
    dir.write({
      '0002_chunks.sql': dbmate(
        'CREATE TABLE chunks (id int PRIMARY KEY, body text);',
        '-- pg-migrate:allow drop-table reason: chunks are rebuilt from documents\nDROP TABLE chunks;'
      )
    })
    // The up section is unchanged, so its checksum is too.
    const acknowledged = await downgrade('0001', { 'fail-on-risk': 'critical' })
    expect(acknowledged.report.error).toBeUndefined()
    expect(acknowledged.report.lint!.result.findings).toEqual([
      expect.objectContaining({ rule: 'drop-table', acknowledged: expect.objectContaining({ reason: 'chunks are rebuilt from documents' }) })
    ])
    expect((await held()).versions).toEqual(['0001'])
  })

  itNeeding({ needs: ['pg-dump'] }, 'backup applies: the dump is taken before anything is reverted, and holds what the down steps drop', async () => {
    dir.write(CHAIN)
    await run()
    const runnerTemp = mkdtempSync(path.join(tmpdir(), 'pgma-down-backup-'))
    try {
      const all: Partial<Record<InputName, string>> = {
        'database-url': url,
        'migrations-path': dir.dir,
        extensions: '',
        mode: 'downgrade',
        'target-revision': '0001',
        'fail-on-risk': 'none',
        backup: 'always'
      }
      const { report } = await runPipeline((name) => all[name], { log: silentLogger(), env: { ...process.env, RUNNER_TEMP: runnerTemp } })
      expect(report.error).toBeUndefined()
      expect(report.stages.map((s) => s.name).slice(-3)).toEqual(['lint', 'backup', 'downgrade'])
      expect(report.backup).toEqual(expect.objectContaining({ status: 'written', path: expect.stringContaining(runnerTemp) }))
      const listing = execFileSync('pg_restore', ['--list', report.backup!.path!], { encoding: 'utf8' })
      expect(listing).toMatch(/INDEX public documents_title_idx/)
      expect(await held()).toEqual({ versions: ['0001'], documents: true, summary: false, index: false })
    } finally {
      rmSync(runnerTemp, { recursive: true, force: true })
    }
  })

  it('takes the migration lock: while another session holds it, nothing is reverted', async () => {
    dir.write(CHAIN)
    await run()
    const holder = await connectClient(url, 'test lock holder')
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...LOCK_KEY])
      const { report } = await downgrade('base', { 'wait-timeout': '1' })
      expect(report.error).toEqual(expect.objectContaining({ stage: 'lock', code: 'lock-timeout' }))
      expect((await held()).versions).toEqual(['0001', '0002', '0003'])
    } finally {
      await holder.end()
    }
  })
})
