import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import * as exec from '@actions/exec'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runBackup, type BackupInput } from '../../src/backup/index.js'
import { parseDatabaseUrl } from '../../src/database-url.js'
import type { ActionError } from '../../src/errors.js'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { describeNeeding } from '../support/capabilities.js'
import { adminQuery, createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/** The backup stage against the real server with the real pg_dump and pg_restore. */

let runnerTemp: string
let url: string

beforeEach(async () => {
  runnerTemp = mkdtempSync(path.join(tmpdir(), 'pgma-runner-temp-'))
  url = (await createTestDatabase('pgma_backup')).url
})
afterEach(() => rmSync(runnerTemp, { recursive: true, force: true }))
afterAll(() => dropTestDatabases())

async function serverVersionNum(): Promise<number> {
  return Number((await adminQuery(`SELECT current_setting('server_version_num') AS v`)).rows[0].v)
}

async function input(overrides: Partial<BackupInput> = {}): Promise<BackupInput> {
  return {
    policy: 'always',
    maxRisk: 'none',
    pendingCount: 1,
    databaseUrl: parseDatabaseUrl(url),
    serverVersionNum: await serverVersionNum(),
    env: { ...process.env, RUNNER_TEMP: runnerTemp },
    log: silentLogger(),
    ...overrides
  }
}

/** A schema listing from the catalogs: tables, columns with types (vector dimensions included), indexes, constraints. */
async function schemaListing(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (c) => {
    const rows = await c.query(`
      SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) AS item
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
      UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
      ORDER BY 1`)
    return rows.rows.map((r) => r.item)
  })
}

const SCHEMA = `
  CREATE EXTENSION IF NOT EXISTS vector;
  CREATE TABLE documents (id bigint PRIMARY KEY, title text NOT NULL, embedding vector(3));
  CREATE INDEX documents_embedding ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 8);
  CREATE TABLE chunks (id serial PRIMARY KEY, document_id bigint REFERENCES documents (id), body text CHECK (body <> ''));
  INSERT INTO documents VALUES (1, 'one', '[1,2,3]'), (2, 'two', '[4,5,6]');
  INSERT INTO chunks (document_id, body) VALUES (1, 'a'), (2, 'b');`

describeNeeding(['database', 'pg-dump'], 'backup before apply', () => {
  it('writes an owner-only custom-format dump that restores into a fresh database with the same schema and rows', async () => {
    await withClient(url, (c) => c.query(SCHEMA))
    const result = await runBackup(await input())

    expect(result.status).toBe('written')
    expect(result.path!.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(statSync(result.path!).mode & 0o777).toBe(0o600)
    expect(statSync(path.dirname(result.path!)).mode & 0o777).toBe(0o700)
    // Only the dump is left: the temporary password file is gone.
    expect(readdirSync(path.dirname(result.path!))).toEqual([path.basename(result.path!)])
    expect(result.sizeBytes).toBe(statSync(result.path!).size)
    expect(result.sizeBytes).toBeGreaterThan(1000)
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
    expect(result.restoreCommand).toContain(`--dbname=${parseDatabaseUrl(url).database}`)
    expect(result.restoreCommand).toMatch(/pg_restore --clean --if-exists --no-owner --single-transaction --host=127\.0\.0\.1 --port=\d+ --username=postgres /)

    const target = await createTestDatabase('pgma_restored')
    const targetDb = parseDatabaseUrl(target.url)
    // The command from the summary, pointed at the fresh database, run as given (through a shell).
    const command = result.restoreCommand!.replace(/--dbname=\S+/, `--dbname=${targetDb.database}`)
    const restored = await exec.getExecOutput('sh', ['-c', command], {
      env: { ...process.env, PGPASSWORD: targetDb.password! } as Record<string, string>,
      silent: true,
      ignoreReturnCode: true
    })
    expect(restored.stderr).toBe('')
    expect(restored.exitCode).toBe(0)

    const original = await schemaListing(url)
    expect(original).toContain('column documents.embedding vector(3)')
    expect(original.some((i) => i.includes("USING hnsw (embedding vector_cosine_ops) WITH (m='8')"))).toBe(true)
    expect(await schemaListing(target.url)).toEqual(original)
    const rows = await withClient(
      target.url,
      async (c) => (await c.query(`SELECT d.title, d.embedding::text, ch.body FROM documents d JOIN chunks ch ON ch.document_id = d.id ORDER BY d.id`)).rows
    )
    expect(rows).toEqual([
      { title: 'one', embedding: '[1,2,3]', body: 'a' },
      { title: 'two', embedding: '[4,5,6]', body: 'b' }
    ])
  })

  it('never puts the password on a command line: pg_dump gets it from a 0600 PGPASSFILE', async () => {
    const password = parseDatabaseUrl(url).password!
    const calls: { tool: string; args: string[]; env: Record<string, string>; passfileMode?: number }[] = []
    const recordingExec: typeof exec.exec = async (tool, args = [], options = {}) => {
      const env = (options.env ?? {}) as Record<string, string>
      calls.push({ tool, args, env, passfileMode: env.PGPASSFILE ? statSync(env.PGPASSFILE).mode & 0o777 : undefined })
      return exec.exec(tool, args, options)
    }
    const result = await runBackup(await input({ env: { ...process.env, RUNNER_TEMP: runnerTemp, PGPASSWORD: 'stale-wrong-password' } }), { exec: recordingExec })

    expect(result.status).toBe('written')
    expect(calls.map((c) => path.basename(c.tool))).toEqual(['pg_dump', 'pg_restore'])
    for (const call of calls) {
      expect(call.args.join(' ')).not.toContain(password)
      expect(call.env.PGPASSWORD).toBeUndefined()
      expect(call.passfileMode).toBe(0o600)
    }
    expect(existsSync(calls[0].env.PGPASSFILE)).toBe(false)
    expect(result.restoreCommand).not.toContain(password)
  })

  it('auto backs up only when the pending set has a high or critical risk; never and an empty pending set skip it', async () => {
    for (const maxRisk of ['none', 'low', 'medium'] as const) {
      expect(await runBackup(await input({ policy: 'auto', maxRisk }))).toEqual({
        status: 'skipped',
        reason: `backup: auto, and the pending set's highest risk is ${maxRisk} (below high)`
      })
    }
    expect((await runBackup(await input({ policy: 'never', maxRisk: 'critical' }))).status).toBe('skipped')
    expect((await runBackup(await input({ policy: 'always', pendingCount: 0 }))).reason).toBe('nothing to apply')
    expect(readdirSync(runnerTemp)).toEqual([])
    for (const maxRisk of ['high', 'critical'] as const) {
      const result = await runBackup(await input({ policy: 'auto', maxRisk }))
      expect(result).toEqual(expect.objectContaining({ status: 'written', reason: `backup: auto, and the pending set's highest risk is ${maxRisk}` }))
    }
  })

  it('fails with the server error and leaves no partial file when the role may not read a table', async () => {
    await withClient(url, (c) => c.query(SCHEMA))
    const role = `pgma_backup_${Date.now().toString(36)}`
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-pw-1234'`)
    try {
      await withClient(url, (c) => c.query(`GRANT SELECT ON documents TO ${role}`))
      const limited = new URL(url)
      limited.username = role
      limited.password = 'reader-pw-1234'
      const error = (await runBackup(await input({ databaseUrl: parseDatabaseUrl(limited.toString()) })).catch((e) => e)) as ActionError
      expect(error.code).toBe('backup-failed')
      expect(error.message).toMatch(
        /^The backup of pgma_backup_\w+ failed: pg_dump exited with code 1: pg_dump: error: .*permission denied for table chunks.*\. Nothing was applied\.$/
      )
      expect(error.location).toEqual({ input: 'backup' })
      expect(error.hint).toContain('pg_read_all_data')
      expect(readdirSync(runnerTemp)).toEqual([])
    } finally {
      await withClient(url, (c) => c.query(`DROP OWNED BY ${role}`))
      await adminQuery(`DROP ROLE IF EXISTS ${role}`)
    }
  })

  it('refuses a pg_dump older than the server before writing anything, naming the install step', async () => {
    const fakeBin = path.join(runnerTemp, 'old-client', 'bin')
    mkdirSync(fakeBin, { recursive: true })
    for (const tool of ['pg_dump', 'pg_restore']) {
      writeFileSync(path.join(fakeBin, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) 12.22"\n`)
      chmodSync(path.join(fakeBin, tool), 0o755)
    }
    const emptyInstallRoot = path.join(runnerTemp, 'no-install-root')
    const error = (await runBackup(await input({ env: { PATH: fakeBin, RUNNER_TEMP: runnerTemp } }), { installRoot: emptyInstallRoot }).catch((e) => e)) as ActionError
    const major = Math.floor((await serverVersionNum()) / 10_000)
    expect(error.code).toBe('backup-client-missing')
    expect(error.message).toBe(
      `backup needs pg_dump ${major} or newer for this PostgreSQL ${major} server, but found only ${fakeBin}/pg_dump (12.22) (PATH and /usr/lib/postgresql/*/bin). Nothing was applied.`
    )
    expect(error.hint).toContain(`sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y && sudo apt-get install -y postgresql-client-${major}`)
    expect(readdirSync(runnerTemp)).toEqual(['old-client'])
  })
})

describeNeeding(['database', 'pg-dump'], 'backup in the pipeline', () => {
  let dir: MigrationDir
  beforeEach(() => {
    dir = new MigrationDir()
  })
  afterEach(() => dir.cleanup())

  function run(inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = { ...process.env, RUNNER_TEMP: runnerTemp }) {
    const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, extensions: '', ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(), env })
  }

  async function columnsOf(databaseUrl: string, table: string): Promise<string[]> {
    return withClient(databaseUrl, async (c) =>
      (await c.query(`SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [table])).rows.map((r) => r.attname)
    )
  }

  it('backup: auto dumps the database as it was before a high-risk pending set, and skips a low-risk one', async () => {
    dir.write({ '0001_t.sql': 'CREATE TABLE t (a int);\n' })
    const first = await run({ backup: 'auto' })
    expect(first.report.status).toBe('success')
    expect(first.report.backup).toEqual({ status: 'skipped', reason: "backup: auto, and the pending set's highest risk is low (below high)" })
    expect(first.report.stages.find((s) => s.name === 'backup')).toEqual(expect.objectContaining({ status: 'skipped' }))

    dir.write({ '0002_rename.sql': 'ALTER TABLE t RENAME COLUMN a TO b;\n' })
    const second = await run({ backup: 'auto' })
    expect(second.report.status).toBe('success')
    const backup = second.report.backup!
    expect(backup).toEqual(expect.objectContaining({ status: 'written', reason: "backup: auto, and the pending set's highest risk is high" }))
    expect(await columnsOf(url, 't')).toEqual(['b'])

    // The dump is of the database before 0002: restored, the column has its old name.
    const target = await createTestDatabase('pgma_restored')
    const restored = await exec.getExecOutput(backup.client!.pgDump.replace(/pg_dump$/, 'pg_restore'), ['--no-owner', `--dbname=${target.url}`, backup.path!], {
      silent: true,
      ignoreReturnCode: true
    })
    expect(restored.exitCode).toBe(0)
    expect(await columnsOf(target.url, 't')).toEqual(['a'])

    const stages = second.report.stages.map((s) => s.name)
    expect(stages.indexOf('backup')).toBe(stages.indexOf('apply') - 1)
    const summary = renderReport(second.report)
    expect(summary).toContain('### Backup')
    expect(summary).toContain('| File | `' + backup.path + '` |')
    expect(summary).toContain(backup.restoreCommand!)
    expect(summary).not.toContain(parseDatabaseUrl(url).password!)
  })

  it('a pg_dump that writes a broken archive stops the run before anything is applied', async () => {
    const fakeBin = path.join(runnerTemp, 'fake-client')
    mkdirSync(fakeBin)
    // A newer major than any real client, so it is the one chosen; it "succeeds" but leaves half an archive.
    writeFileSync(
      path.join(fakeBin, 'pg_dump'),
      '#!/bin/sh\nif [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 99.0"; exit 0; fi\nfor a; do case "$a" in --file=*) printf PGDMP > "${a#--file=}";; esac; done\n'
    )
    chmodSync(path.join(fakeBin, 'pg_dump'), 0o755)
    const realRestore = (await exec.getExecOutput('sh', ['-c', 'command -v pg_restore'], { silent: true })).stdout.trim()
    writeFileSync(path.join(fakeBin, 'pg_restore'), `#!/bin/sh\nexec ${realRestore} "$@"\n`)
    chmodSync(path.join(fakeBin, 'pg_restore'), 0o755)

    dir.write({ '0001_t.sql': 'CREATE TABLE t (a int);\n' })
    const outcome = await run({ backup: 'always' }, { ...process.env, RUNNER_TEMP: runnerTemp, PATH: `${fakeBin}:${process.env.PATH}` })
    expect(outcome.report.status).toBe('failure')
    expect(outcome.report.error).toEqual(expect.objectContaining({ stage: 'backup', code: 'backup-failed' }))
    expect(outcome.report.error!.message).toMatch(/failed: pg_restore --list cannot read the archive \(exit code 1\): pg_restore: error: .*\. Nothing was applied\.$/)
    expect(outcome.report.apply).toBeUndefined()
    expect(await columnsOf(url, 't')).toEqual([])
    expect(readdirSync(runnerTemp)).toEqual(['fake-client'])
  })
})
