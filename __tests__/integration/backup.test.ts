import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import * as exec from '@actions/exec'
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runBackup, type BackupInput } from '../../src/backup/index.js'
import { parseDatabaseUrl } from '../../src/database-url.js'
import type { ActionError } from '../../src/errors.js'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { describeNeeding, itNeeding } from '../support/capabilities.js'
import { asRoot } from '../support/capability-probes.js'
import { adminQuery, connectClient, createTestDatabase, dropTestDatabases, urlFor, withClient } from '../support/database.js'
import { compileSourcesForChild } from '../support/sql-child.js'
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

/** Files under `dir` whose content holds `secret`. */
function filesContaining(dir: string, secret: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((name) => path.join(dir, name)).filter((file) => statSync(file).isFile() && readFileSync(file).includes(secret))
}

/** A restore command from the summary, run as given through a shell, the password from PGPASSWORD as the summary says. */
async function runPrinted(command: string): Promise<{ exitCode: number; stderr: string }> {
  const password = parseDatabaseUrl(url).password!
  const run = await exec.getExecOutput('sh', ['-c', command], { env: { ...process.env, PGPASSWORD: password } as Record<string, string>, silent: true, ignoreReturnCode: true })
  // The database kept by the swap is this test's to drop.
  const replaced = /RENAME TO "([^"]+_replaced_\d{14})"/.exec(command)?.[1]
  if (replaced) keptDatabases.push(replaced)
  return run
}

const keptDatabases: string[] = []
afterAll(async () => {
  for (const name of keptDatabases) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined)
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

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
  it('writes an owner-only custom-format dump, and the printed command restores it in place of the database, with what came after it gone', async () => {
    await withClient(url, (c) => c.query(SCHEMA))
    const original = await schemaListing(url)
    const result = await runBackup(await input())

    expect(result.status).toBe('written')
    expect(result.path!.startsWith(runnerTemp + path.sep)).toBe(true)
    expect(result.path!).toMatch(/\.dump$/)
    expect(statSync(result.path!).mode & 0o777).toBe(0o600)
    expect(statSync(path.dirname(result.path!)).mode & 0o777).toBe(0o700)
    // Only the dump is left: no password file, no partial archive.
    expect(readdirSync(path.dirname(result.path!))).toEqual([path.basename(result.path!)])
    expect(result.sizeBytes).toBe(statSync(result.path!).size)
    expect(result.sizeBytes).toBeGreaterThan(1000)
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
    const database = parseDatabaseUrl(url).database
    expect(result.replacedDatabase).toMatch(new RegExp(`^${database}_replaced_\\d{14}$`))
    expect(result.restoreCommand).toMatch(/^\S*createdb --host=127\.0\.0\.1 --port=\d+ --username=postgres --maintenance-db=template1 --template=template0 /)
    expect(result.restoreCommand).toContain(`pg_restore --no-owner --single-transaction --exit-on-error --host=127.0.0.1`)
    expect(result.restoreCommand).toContain(`'--command=ALTER DATABASE "${database}" RENAME TO "${result.replacedDatabase}"'`)

    // After the dump: a table is dropped, rows change, and a table depends on vector (pg_restore --clean's DROP EXTENSION would fail).
    await withClient(url, (c) => c.query(`DROP TABLE chunks; UPDATE documents SET title = 'changed'; CREATE TABLE later (e vector(3)); INSERT INTO later VALUES ('[1,1,1]')`))
    const restored = await runPrinted(result.restoreCommand!)
    expect(restored.stderr).toBe('')
    expect(restored.exitCode).toBe(0)

    expect(original).toContain('column documents.embedding vector(3)')
    expect(original.some((i) => i.includes("USING hnsw (embedding vector_cosine_ops) WITH (m='8')"))).toBe(true)
    expect(await schemaListing(url)).toEqual(original)
    const rows = await withClient(
      url,
      async (c) => (await c.query(`SELECT d.title, d.embedding::text, ch.body FROM documents d JOIN chunks ch ON ch.document_id = d.id ORDER BY d.id`)).rows
    )
    expect(rows).toEqual([
      { title: 'one', embedding: '[1,2,3]', body: 'a' },
      { title: 'two', embedding: '[4,5,6]', body: 'b' }
    ])
    // The database as it was before the restore is kept under the printed name.
    expect(await withClient(urlFor(result.replacedDatabase!), async (c) => (await c.query(`SELECT e::text FROM later`)).rows)).toEqual([{ e: '[1,1,1]' }])
  })

  it("passes the password in pg_dump's environment only: never on a command line, never in a file", async () => {
    const password = parseDatabaseUrl(url).password!
    const calls: { tool: string; args: string[]; env: Record<string, string>; filesWithPassword: string[] }[] = []
    const recordingExec: typeof exec.exec = async (tool, args = [], options = {}) => {
      calls.push({ tool, args, env: (options.env ?? {}) as Record<string, string>, filesWithPassword: filesContaining(runnerTemp, password) })
      return exec.exec(tool, args, options)
    }
    const result = await runBackup(await input({ env: { ...process.env, RUNNER_TEMP: runnerTemp, PGPASSWORD: 'stale-wrong-password' } }), { exec: recordingExec })

    expect(result.status).toBe('written')
    expect(calls.map((c) => path.basename(c.tool))).toEqual(['pg_dump', 'pg_restore'])
    for (const call of calls) {
      expect(call.args.join(' ')).not.toContain(password)
      expect(call.env.PGPASSWORD).toBe(password)
      expect(call.env.PGPASSFILE).toBeUndefined()
      expect(call.filesWithPassword).toEqual([])
    }
    expect(result.restoreCommand).not.toContain(password)
  })

  it('leaves no file holding the password when the action is killed with SIGKILL while pg_dump runs', async () => {
    await withClient(url, (c) => c.query(SCHEMA))
    const password = parseDatabaseUrl(url).password!
    // pg_dump waits for this lock, so the action is killed mid-dump.
    const holder = await connectClient(url)
    let child: ChildProcess | undefined
    try {
      await holder.query('BEGIN; LOCK TABLE documents IN ACCESS EXCLUSIVE MODE')
      const compiled = compileSourcesForChild()
      child = spawn(process.execPath, [path.resolve('__tests__/fixtures/backup/child-backup.mjs'), compiled, url, String(await serverVersionNum())], {
        env: { ...process.env, RUNNER_TEMP: runnerTemp },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      const dumping = await waitFor('pg_dump to wait for the lock', async () => {
        // Not on the holder's session: pg_stat_activity is a snapshot taken once per transaction.
        const r = await adminQuery(`SELECT pid FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock' AND datname = $1`, [
          parseDatabaseUrl(url).database
        ])
        return r.rows[0]?.pid as number | undefined
      })
      child.kill('SIGKILL')
      await new Promise((resolve) => child!.once('exit', resolve))
      expect(filesContaining(runnerTemp, password)).toEqual([])
      // What is left is marked as what it is.
      const [dir] = readdirSync(runnerTemp)
      expect(readdirSync(path.join(runnerTemp, dir))).toEqual([expect.stringMatching(/\.dump\.partial$/)])
      await adminQuery('SELECT pg_terminate_backend($1)', [dumping])
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await holder.query('ROLLBACK').catch(() => undefined)
      await holder.end()
    }
  })

  it('reports an unwritable RUNNER_TEMP as backup-write-failed, with nothing applied and nothing left', async () => {
    const notADirectory = path.join(runnerTemp, 'a-file')
    writeFileSync(notADirectory, '')
    const error = (await runBackup(await input({ env: { ...process.env, RUNNER_TEMP: path.join(notADirectory, 'temp') } })).catch((e) => e)) as ActionError
    expect(error.code).toBe('backup-write-failed')
    expect(error.message).toBe(
      `The backup of ${parseDatabaseUrl(url).database} could not be written under ${notADirectory}/temp: not a directory. Nothing was applied, and no partial file is left.`
    )
    expect(error.location).toEqual({ input: 'backup' })
    expect(error.hint).toContain('df -h "$RUNNER_TEMP"')
    expect(readdirSync(runnerTemp)).toEqual(['a-file'])
  })

  itNeeding({ needs: ['tmpfs-mount'] }, 'reports a read-only or full RUNNER_TEMP as backup-write-failed, and deletes the partial dump', async () => {
    await withClient(url, (c) => c.query(SCHEMA))
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'pgma-small-disk-'))
    const mount = (options: string) => exec.exec(...asRoot('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint]), { silent: true })
    try {
      await mount('ro,size=64k')
      const readOnly = (await runBackup(await input({ env: { ...process.env, RUNNER_TEMP: mountPoint } })).catch((e) => e)) as ActionError
      expect(readOnly.code).toBe('backup-write-failed')
      expect(readOnly.message).toContain(`could not be written under ${mountPoint}: read-only file system. `)
      await exec.exec(...asRoot('umount', [mountPoint]), { silent: true })

      // Room for a few blocks: the directory and the empty archive fit, the dump of 5,000 random rows does not.
      await withClient(url, (c) => c.query(`INSERT INTO chunks (document_id, body) SELECT 1, md5(random()::text) FROM generate_series(1, 5000)`))
      await mount('size=64k')
      writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(48 * 1024))
      const full = (await runBackup(await input({ env: { ...process.env, RUNNER_TEMP: mountPoint } })).catch((e) => e)) as ActionError
      expect(full.code).toBe('backup-write-failed')
      expect(full.message).toMatch(new RegExp(`could not be written under ${mountPoint}: could not (write to|close) output file: No space left on device\\. `))
      expect(readdirSync(mountPoint)).toEqual(['filler'])

      // Not a block left and an empty database: pg_dump buffers the whole archive, exits 0 with an empty file, and pg_restore --list rejects it.
      const empty = parseDatabaseUrl((await createTestDatabase('pgma_backup')).url)
      try {
        writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(128 * 1024))
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
      }
      const noBlockLeft = (await runBackup(await input({ databaseUrl: empty, env: { ...process.env, RUNNER_TEMP: mountPoint } })).catch((e) => e)) as ActionError
      expect(noBlockLeft.code).toBe('backup-write-failed')
      expect(noBlockLeft.message).toContain(`could not be written under ${mountPoint}: no space left on device (`)
      expect(readdirSync(mountPoint)).toEqual(['filler'])
    } finally {
      await exec.exec(...asRoot('umount', [mountPoint]), { silent: true, ignoreReturnCode: true })
      rmSync(mountPoint, { recursive: true, force: true })
    }
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

  /** The restore command exactly as the summary prints it. */
  function printedRestore(summary: string): string {
    const command = /### Backup[\s\S]*?```sh\n([\s\S]*?)\n```/.exec(summary)?.[1]
    if (!command) throw new Error(`no restore command in the summary:\n${summary}`)
    return command
  }

  const historyVersions = () =>
    withClient(url, async (c) =>
      (await c.query(`SELECT to_regclass('pg_migrate_history') IS NOT NULL AS present`)).rows[0].present
        ? (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version)
        : undefined
    )

  it('after a first run, the printed restore leaves no history table behind: the history and the database agree', async () => {
    await withClient(url, (c) => c.query(`CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')`))
    dir.write({ '0001_t.sql': 'CREATE TABLE t (a int);\n' })
    const first = await run({ backup: 'always' })
    expect(first.report.status).toBe('success')
    expect(await historyVersions()).toEqual(['0001'])

    const restored = await runPrinted(printedRestore(renderReport(first.report)))
    expect(restored.stderr).toBe('')
    expect(restored.exitCode).toBe(0)
    // The dump predates the history table: restored, the database has neither it nor what 0001 created.
    expect(await historyVersions()).toBeUndefined()
    expect(await columnsOf(url, 't')).toEqual([])
    expect(await withClient(url, async (c) => (await c.query(`SELECT body FROM notes`)).rows)).toEqual([{ body: 'kept' }])

    const again = await run({})
    expect(again.report.status).toBe('success')
    expect(again.report.apply!.runs.map((r) => [r.id, r.status])).toEqual([['0001', 'applied']])
    expect(await historyVersions()).toEqual(['0001'])
  })

  it('the printed restore works when a migration after the dump created a vector column (pg_restore --clean could not drop the extension)', async () => {
    dir.write({
      '0001_documents.sql': "CREATE TABLE documents (id int PRIMARY KEY, embedding vector(3));\nINSERT INTO documents VALUES (1, '[1,2,3]');\n"
    })
    expect((await run({ extensions: 'vector' })).report.status).toBe('success')
    dir.write({
      '0002_chunks.sql':
        "CREATE TABLE chunks (id int, embedding vector(3));\nINSERT INTO chunks VALUES (1, '[4,5,6]');\nALTER TABLE documents ADD COLUMN summary_embedding vector(3);\n"
    })
    const second = await run({ extensions: 'vector', backup: 'always' })
    expect(second.report.status).toBe('success')
    expect(await historyVersions()).toEqual(['0001', '0002'])

    const restored = await runPrinted(printedRestore(renderReport(second.report)))
    expect(restored.stderr).toBe('')
    expect(restored.exitCode).toBe(0)
    expect(await historyVersions()).toEqual(['0001'])
    expect(await columnsOf(url, 'chunks')).toEqual([])
    expect(await columnsOf(url, 'documents')).toEqual(['id', 'embedding'])
    expect(await withClient(url, async (c) => (await c.query(`SELECT id, embedding::text FROM documents`)).rows)).toEqual([{ id: 1, embedding: '[1,2,3]' }])

    const again = await run({ extensions: 'vector' })
    expect(again.report.apply!.runs.map((r) => [r.id, r.status])).toEqual([['0002', 'applied']])
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
