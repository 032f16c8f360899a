import { afterAll, expect, it } from '@jest/globals'
import * as exec from '@actions/exec'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAlembicEngine } from '../../src/engines/alembic/index.js'
import { runAlembic, type AlembicVersions } from '../../src/engines/alembic/run.js'
import { prepareVenv } from '../../src/engines/alembic/venv.js'
import { silentLogger } from '../../src/logger.js'
import { alembicSettings, openContext, PYTHON, removeProjects, revisionFileName, writeProject, type ProjectOptions, type RevisionSpec } from '../support/alembic-project.js'
import { applyPending, errorCodes, planSql, validate } from '../support/alembic-pipeline.js'
import { describeNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * Broken chains and database states, checked by the engine before Python runs, with real Alembic
 * run on the same fixtures to confirm they are what the test says they are.
 */
const linear = (ids: string[], first: string | null = null): RevisionSpec[] =>
  ids.map((id, i) => ({ id, down: i === 0 ? first : ids[i - 1], message: `step ${id}`, upgrade: [`op.execute("CREATE TABLE t_${id} (id int)")`] }))

async function alembic(dir: string, args: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const code = await exec.exec(PYTHON, ['-m', 'alembic', ...args], {
    cwd: dir,
    silent: true,
    ignoreReturnCode: true,
    env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' } as Record<string, string>,
    listeners: { stdout: (d) => (out += d.toString()), stderr: (d) => (out += d.toString()) }
  })
  return { code, out }
}

async function setup(options: ProjectOptions, overrides: Parameters<typeof alembicSettings>[2] = {}) {
  const dir = writeProject(options)
  const db = await createTestDatabase('pgma_alembic')
  const settings = alembicSettings(db.url, dir, overrides)
  const engine = createAlembicEngine(settings)
  const opened = await openContext(settings)
  return { dir, db, settings, engine, ...opened }
}

const rel = (dir: string, spec: RevisionSpec): string => path.relative(process.cwd(), path.join(dir, 'migrations', 'versions', revisionFileName(spec)))

describeNeeding(['database', 'alembic'], 'Alembic engine: chain checks before Python runs', () => {
  afterAll(async () => {
    removeProjects()
    await dropTestDatabases()
  })

  it('reports a second root in the middle of history (two independent chains), naming its file', async () => {
    const second: RevisionSpec[] = [
      { id: 'x1', down: null, message: 'second history' },
      { id: 'x2', down: 'x1', message: 'second history continued' }
    ]
    const t = await setup({ revisions: [...linear(['0001', '0002', '0003']), ...second] })
    try {
      const { problems } = await validate(t.engine, t.ctx)
      const roots = problems.find((p) => p.code === 'multiple-roots')!
      expect(roots.revisions).toEqual(['0001', 'x1'])
      expect(roots.file).toBe(rel(t.dir, second[0]))
      expect(roots.line).toBe(12)
      expect(errorCodes(problems)).toEqual(['multiple-roots', 'multiple-heads'])
      // Alembic agrees: two heads, two bases.
      const heads = await alembic(t.dir, ['heads'])
      expect(heads.out).toContain('0003 (head)')
      expect(heads.out).toContain('x2 (head)')
    } finally {
      await t.close()
    }
  })

  it('reports two heads and suggests alembic merge with both ids', async () => {
    const t = await setup({ revisions: [...linear(['a1', 'a2']), { id: 'b1', down: 'a1', message: 'parallel work' }] })
    try {
      const { problems } = await validate(t.engine, t.ctx)
      expect(errorCodes(problems)).toEqual(['multiple-heads'])
      expect(problems[0].hint).toContain('alembic merge -m "merge heads" a2 b1')
      const heads = await alembic(t.dir, ['heads'])
      expect(heads.out.match(/\(head\)/g)).toHaveLength(2)
    } finally {
      await t.close()
    }
  })

  it('reports a parent that no file declares', async () => {
    const revisions = [...linear(['0001', '0002']), { id: '0004', down: '0003', message: 'after a deleted file' }]
    const t = await setup({ revisions })
    try {
      const { problems } = await validate(t.engine, t.ctx)
      const missing = problems.find((p) => p.code === 'missing-parent')!
      expect(missing.revisions).toEqual(['0004', '0003'])
      expect(missing.file).toBe(rel(t.dir, revisions[2]))
      const heads = await alembic(t.dir, ['heads'])
      expect(heads.code).not.toBe(0)
      expect(heads.out).toMatch(/0003.*is not present|Revision 0003 referenced from/)
    } finally {
      await t.close()
    }
  })

  it('reports a revision id declared by two files, and a cycle, naming the files', async () => {
    const duplicate: RevisionSpec = { id: '0002', down: '0001', message: 'same id again', fileName: '0002_copy.py' }
    const t = await setup({ revisions: [...linear(['0001', '0002']), duplicate] })
    try {
      const { problems } = await validate(t.engine, t.ctx)
      const dup = problems.find((p) => p.code === 'duplicate-revision')!
      expect(dup.revisions).toEqual(['0002'])
      expect(dup.message).toContain(rel(t.dir, duplicate))
    } finally {
      await t.close()
    }
    const c = await setup({
      revisions: [
        { id: 'a', down: 'c' },
        { id: 'b', down: 'a' },
        { id: 'c', down: 'b' }
      ]
    })
    try {
      const { problems } = await validate(c.engine, c.ctx)
      expect(problems.find((p) => p.code === 'cycle')?.revisions).toEqual(['a', 'b', 'c'])
    } finally {
      await c.close()
    }
  })

  it('fails loading a versions file whose revision cannot be read, naming it', async () => {
    const t = await setup({ revisions: linear(['0001']) })
    try {
      writeFileSync(path.join(t.dir, 'migrations', 'versions', 'notes.py'), '# helper, not a revision\nVALUE = 1\n')
      writeFileSync(path.join(t.dir, 'migrations', 'versions', '__init__.py'), '')
      await expect(t.engine.loadChain()).rejects.toMatchObject({
        code: 'alembic-revision-unreadable',
        location: { file: path.relative(process.cwd(), path.join(t.dir, 'migrations', 'versions', 'notes.py')) }
      })
    } finally {
      await t.close()
    }
  })

  it('reads the type-annotated style of Alembic 1.13 templates, merges included, and applies it', async () => {
    const revisions: RevisionSpec[] = [
      {
        id: '001_init',
        down: null,
        style: 'annotated',
        message: 'init',
        upgrade: ['op.execute("CREATE EXTENSION IF NOT EXISTS vector")', 'op.execute("CREATE TABLE users (id bigint PRIMARY KEY)")']
      },
      { id: '002_add_user_id', down: '001_init', style: 'annotated', message: 'add user id', upgrade: ['op.execute("CREATE TABLE items (user_id bigint REFERENCES users)")'] },
      { id: '002b_vectors', down: '001_init', style: 'annotated', message: 'vectors', branchLabels: ['vectors'], upgrade: ['op.execute("CREATE TABLE vecs (v vector(2))")'] },
      { id: '003_merge', down: ['002_add_user_id', '002b_vectors'], style: 'annotated', message: 'merge', dependsOn: ['002b_vectors'] }
    ]
    const t = await setup({ revisions })
    try {
      expect(readFileSync(path.join(t.dir, 'migrations', 'versions', revisionFileName(revisions[3])), 'utf8')).toContain(
        'down_revision: Union[str, Sequence[str], None] = ("002_add_user_id", "002b_vectors")'
      )
      const { chain, problems, state, pending } = await validate(t.engine, t.ctx)
      expect(problems).toEqual([])
      expect(chain.revisions.map((r) => [r.id, r.parents, r.branchLabels, r.dependsOn, r.description])).toEqual([
        ['001_init', [], [], [], 'init'],
        ['002_add_user_id', ['001_init'], [], [], 'add user id'],
        ['002b_vectors', ['001_init'], ['vectors'], [], 'vectors'],
        ['003_merge', ['002_add_user_id', '002b_vectors'], [], ['002b_vectors'], 'merge']
      ])
      const result = await applyPending(t.engine, t.ctx, chain, state, pending)
      expect(result.failure).toBeUndefined()
      expect(result.current).toEqual(['003_merge'])
      // Alembic's own view of the same files.
      const history = await alembic(t.dir, ['history'])
      for (const r of revisions) expect(history.out).toContain(r.id)
    } finally {
      await t.close()
    }
  })
})

describeNeeding(['database', 'alembic'], 'Alembic engine: database reconciliation', () => {
  afterAll(async () => {
    removeProjects()
    await dropTestDatabases()
  })

  const branched: RevisionSpec[] = [
    ...linear(['0001', '0002']),
    { id: '0003a', down: '0002', message: 'branch a', upgrade: ['op.execute("CREATE TABLE ta (id int)")'] },
    { id: '0003b', down: '0002', message: 'branch b', upgrade: ['op.execute("CREATE TABLE tb (id int)")'] },
    { id: '0004', down: ['0003a', '0003b'], message: 'merge' }
  ]

  async function stamp(url: string, rows: string[], table = 'alembic_version'): Promise<void> {
    await withClient(url, async (c) => {
      await c.query(`CREATE TABLE ${table} (version_num varchar(32) PRIMARY KEY)`)
      for (const row of rows) await c.query(`INSERT INTO ${table} VALUES ($1)`, [row])
    })
  }

  it('reports a stamped revision no file knows (an image built without some files)', async () => {
    const t = await setup({ revisions: linear(['0001', '0002']) })
    try {
      await stamp(t.db.url, ['0003_missing'])
      const { problems, state } = await validate(t.engine, t.ctx)
      expect(state.current).toEqual(['0003_missing'])
      expect(errorCodes(problems)).toEqual(['unknown-stamped-revision'])
      expect(problems[0].message).toContain("'0003_missing'")
      expect(problems[0].message).toMatch(/image or checkout/)
      // Alembic itself fails on this database for the same reason.
      const settingsUrl = t.settings.databaseUrl.forPg
      let out = ''
      await exec.exec(PYTHON, ['-m', 'alembic', 'upgrade', 'head'], {
        cwd: t.dir,
        silent: true,
        ignoreReturnCode: true,
        env: { ...process.env, DATABASE_URL: settingsUrl } as Record<string, string>,
        listeners: { stderr: (d) => (out += d.toString()) }
      })
      expect(out).toMatch(/Can't locate revision identified by '0003_missing'/)
    } finally {
      await t.close()
    }
  })

  it('reports two rows of which one is the ancestor of the other', async () => {
    const t = await setup({ revisions: branched })
    try {
      await stamp(t.db.url, ['0001', '0003a'])
      const { problems } = await validate(t.engine, t.ctx)
      expect(errorCodes(problems)).toEqual(['stamped-ancestor-and-descendant'])
      expect(problems[0].revisions).toEqual(['0001', '0003a'])
    } finally {
      await t.close()
    }
  })

  it('accepts two rows on distinct branches, plans only the rest offline, and upgrades from there', async () => {
    const t = await setup({ revisions: branched })
    try {
      // As if 0001, 0002 and branch a had run; branch b comes next.
      await stamp(t.db.url, ['0003a'])
      await withClient(t.db.url, (c) => c.query(`CREATE TABLE t_0001 (id int); CREATE TABLE t_0002 (id int); CREATE TABLE ta (id int)`))
      const first = await validate(t.engine, t.ctx)
      expect(first.pending.map((r) => r.id)).toEqual(['0003b', '0004'])

      await withClient(t.db.url, (c) => c.query(`CREATE TABLE tb (id int); INSERT INTO alembic_version VALUES ('0003b')`))
      const { chain, state, pending, problems } = await validate(t.engine, t.ctx)
      expect(problems).toEqual([])
      expect(state.current.sort()).toEqual(['0003a', '0003b'])
      expect(pending.map((r) => r.id)).toEqual(['0004'])
      const planned = (await planSql(t.engine, t.ctx, chain, state, pending)).revisions
      expect(planned.map((p) => p.revision.id)).toEqual(['0004'])
      expect(planned[0].sql).toContain("DELETE FROM alembic_version WHERE alembic_version.version_num = '0003")
      const result = await applyPending(t.engine, t.ctx, chain, state, pending)
      expect(result.failure).toBeUndefined()
      expect(result.runs.map((r) => [r.id, r.status])).toEqual([['0004', 'applied']])
      expect(result.current).toEqual(['0004'])
    } finally {
      await t.close()
    }
  })

  it('reads a custom version table and schema named in alembic.ini, and lets the input override it', async () => {
    const t = await setup({ revisions: linear(['0001', '0002']), alembicSection: ['version_table = app_versions', 'version_table_schema = meta'] })
    try {
      await withClient(t.db.url, (c) => c.query('CREATE SCHEMA meta'))
      const before = await validate(t.engine, t.ctx)
      expect(before.chain.notes).toContain('version table: meta.app_versions, from alembic.ini')
      expect(before.state.versionTableExists).toBe(false)
      const result = await applyPending(t.engine, t.ctx, before.chain, before.state, before.pending)
      expect(result.failure).toBeUndefined()
      expect(result.current).toEqual(['0002'])
      const after = await validate(t.engine, t.ctx)
      expect(after.state.current).toEqual(['0002'])
      expect(await withClient(t.db.url, async (c) => (await c.query('SELECT to_regclass($1)::text AS t', ['alembic_version'])).rows[0].t)).toBeNull()

      const overridden = createAlembicEngine({ ...t.settings, alembicVersionTable: { schema: '', table: 'other_versions' } })
      const view = await validate(overridden, t.ctx)
      expect(view.chain.notes).toContain('version table: other_versions (default schema), from the alembic-version-table input')
      expect(view.state.versionTableExists).toBe(false)
    } finally {
      await t.close()
    }
  })

  it('reports an upgrade that Alembic calls a success but that did not reach the version table the action reads', async () => {
    const t = await setup({ revisions: linear(['0001']) }, { alembicVersionTable: { schema: '', table: 'elsewhere' } })
    try {
      const { chain, state, pending } = await validate(t.engine, t.ctx)
      const result = await applyPending(t.engine, t.ctx, chain, state, pending)
      expect(result.runs.map((r) => r.status)).toEqual(['not-run'])
      expect(result.failure?.message).toMatch(/Alembic exited successfully, but elsewhere in this database still records no revision/)
      expect(result.failure?.recovery.join(' ')).toContain('DATABASE_URL')
    } finally {
      await t.close()
    }
  })
})

describeNeeding(['database', 'alembic'], 'Alembic engine: running Alembic', () => {
  afterAll(async () => {
    removeProjects()
    await dropTestDatabases()
  })

  // Records the URL scheme env.py received, so the test sees what Alembic was given.
  const schemeProbe: RevisionSpec[] = [
    {
      id: 'u1',
      down: null,
      message: 'record url scheme',
      upgrade: ['import os', 'scheme = os.environ["DATABASE_URL"].split("://")[0]', 'op.execute(f"CREATE TABLE seen AS SELECT \'{scheme}\'::text AS scheme")']
    }
  ]

  it.each([
    ['postgres://', 'postgresql'],
    ['postgresql+psycopg2://', 'postgresql+psycopg2']
  ])('hands env.py a URL SQLAlchemy accepts: %s becomes %s', async (scheme, expected) => {
    const db = await createTestDatabase('pgma_alembic')
    const url = db.url.replace(/^postgres(ql)?:\/\//, scheme)
    const dir = writeProject({ revisions: schemeProbe })
    const settings = alembicSettings(url, dir)
    expect(settings.databaseUrl.forSqlAlchemy.startsWith(`${expected}://`)).toBe(true)
    const engine = createAlembicEngine(settings)
    const { ctx, close } = await openContext(settings)
    try {
      const { chain, state, pending } = await validate(engine, ctx)
      const result = await applyPending(engine, ctx, chain, state, pending)
      expect(result.failure).toBeUndefined()
      const seen = await withClient(db.url, (c) => c.query<{ scheme: string }>('SELECT scheme FROM seen'))
      expect(seen.rows[0].scheme).toBe(expected)
    } finally {
      await close()
    }
  })

  it("applies the lock-timeout and statement-timeout inputs to Alembic's own session", async () => {
    const revisions: RevisionSpec[] = [
      {
        id: 's1',
        down: null,
        message: 'record session settings',
        upgrade: [
          `op.execute("CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout, current_setting('application_name') AS app")`
        ]
      }
    ]
    const t = await setup({ revisions }, { lockTimeout: '1500ms', statementTimeout: '2min' })
    try {
      const { chain, state, pending } = await validate(t.engine, t.ctx)
      expect((await applyPending(t.engine, t.ctx, chain, state, pending)).failure).toBeUndefined()
      const seen = await withClient(t.db.url, (c) => c.query('SELECT * FROM seen'))
      expect(seen.rows[0]).toEqual({ lock_timeout: '1500ms', statement_timeout: '2min', app: 'pg-migrate-action (alembic)' })
    } finally {
      await t.close()
    }
  })

  it('still names applied and failed revisions when alembic.ini silences the progress lines', async () => {
    const revisions: RevisionSpec[] = [
      ...linear(['0001', '0002']),
      { id: '0003', down: '0002', message: 'breaks', upgrade: ['op.execute("ALTER TABLE missing_table ADD COLUMN x int")'] }
    ]
    const t = await setup({ revisions, alembicLogLevel: 'WARN', configure: 'transaction_per_migration=True' })
    try {
      const { chain, state, pending, problems } = await validate(t.engine, t.ctx)
      expect(problems.map((p) => [p.code, p.severity])).toEqual([['alembic-progress-silenced', 'warning']])
      const result = await applyPending(t.engine, t.ctx, chain, state, pending)
      expect(result.runs.map((r) => r.status)).toEqual(['applied', 'applied', 'failed'])
      expect(result.runs[0].durationMs).toBeUndefined()
      expect(result.runs[0].notes.join(' ')).toMatch(/no "Running upgrade" line/)
      expect(result.failure?.revision).toBe('0003')
      expect(result.failure?.message).toContain('relation "missing_table" does not exist')
      expect(result.current).toEqual(['0002'])
    } finally {
      await t.close()
    }
  })

  it('reports a failure in env.py before any revision ran', async () => {
    const t = await setup({ revisions: linear(['0001']) })
    try {
      const envPy = path.join(t.dir, 'migrations', 'env.py')
      writeFileSync(envPy, readFileSync(envPy, 'utf8').replace('url = os.environ["DATABASE_URL"]', 'url = os.environ["NOT_SET_ANYWHERE"]'))
      const { chain, state, pending } = await validate(t.engine, t.ctx)
      const result = await applyPending(t.engine, t.ctx, chain, state, pending)
      expect(result.runs.map((r) => r.status)).toEqual(['not-run'])
      expect(result.failure?.file).toBe(path.relative(process.cwd(), envPy))
      expect(result.failure?.message).toMatch(/^Alembic failed before running 0001: KeyError: 'NOT_SET_ANYWHERE'/)
    } finally {
      await t.close()
    }
  })

  it('says so, with what to do, when the interpreter has no Alembic', async () => {
    // A bare venv of the same Python: certainly without Alembic, whatever this machine has installed.
    const bare = mkdtempSync(path.join(os.tmpdir(), 'pgma-bare-'))
    await exec.exec(PYTHON, ['-m', 'venv', '--without-pip', bare], { silent: true })
    const t = await setup({ revisions: linear(['0001']) }, { python: path.join(bare, 'bin', 'python') })
    try {
      const { chain, state, pending } = await validate(t.engine, t.ctx)
      const notInstalled = {
        code: 'alembic-not-installed',
        message: expect.stringMatching(/^Alembic is not importable by '.*' \(Python 3\.\d+\.\d+\): ModuleNotFoundError: No module named 'alembic'\.$/),
        location: { input: 'python' },
        hint: expect.stringMatching(/pip install alembic psycopg2-binary.*alembic-requirements/)
      }
      await expect(planSql(t.engine, t.ctx, chain, state, pending)).rejects.toMatchObject(notInstalled)
      await expect(applyPending(t.engine, t.ctx, chain, state, pending)).rejects.toMatchObject(notInstalled)
    } finally {
      await t.close()
      rmSync(bare, { recursive: true, force: true })
    }
  })

  it('says so, with its output, when the interpreter runs but is not Python', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'pgma-fake-python-'))
    const fake = path.join(bin, 'python3')
    writeFileSync(fake, '#!/bin/sh\necho "fake python: no such option -c" >&2\nexit 3\n')
    chmodSync(fake, 0o755)
    const t = await setup({ revisions: linear(['0001']) }, { python: fake })
    try {
      const { chain, state, pending } = await validate(t.engine, t.ctx)
      await expect(applyPending(t.engine, t.ctx, chain, state, pending)).rejects.toMatchObject({
        code: 'python-not-found',
        message: `The Python interpreter '${fake}' did not run (exit code 3).`,
        location: { input: 'python' },
        details: ['fake python: no such option -c']
      })
    } finally {
      await t.close()
      rmSync(bin, { recursive: true, force: true })
    }
  })

  it('says so when the interpreter does not exist', async () => {
    const t = await setup({ revisions: linear(['0001']) }, { python: '/nonexistent/python3' })
    try {
      const { chain, state, pending } = await validate(t.engine, t.ctx)
      await expect(planSql(t.engine, t.ctx, chain, state, pending)).rejects.toMatchObject({ code: 'python-not-found', location: { input: 'python' } })
    } finally {
      await t.close()
    }
  })
})

describeNeeding(['alembic'], 'Alembic launcher', () => {
  afterAll(() => removeProjects())

  const run = async (args: string[], cwd: string) => {
    const versions: AlembicVersions[] = []
    const lines: string[] = []
    const proc = await runAlembic({
      python: PYTHON,
      args,
      cwd,
      env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
      log: silentLogger(lines),
      echo: true,
      onVersions: (v) => versions.push(v)
    })
    return { proc, versions, lines }
  }

  it('reports the versions once, before Alembic speaks, and keeps its marker out of the output, the log and the echo', async () => {
    const dir = writeProject({ revisions: linear(['0001', '0002']) })
    const { proc, versions, lines } = await run(['upgrade', 'head', '--sql'], dir)
    expect(proc.exitCode).toBe(0)
    expect(versions).toEqual([{ python: expect.stringMatching(/^3\.\d+\.\d+$/), alembic: expect.stringMatching(/^1\./), sqlalchemy: expect.stringMatching(/^[12]\./) }])
    for (const text of [proc.stdout, proc.stderr, proc.log, lines.join('\n')]) expect(text).not.toContain('PGMA-VERSIONS')
    expect(proc.stdout).toContain('-- Running upgrade 0001 -> 0002')
    expect(proc.stderr).toContain('Running upgrade 0001 -> 0002, step 0002')
    expect(proc.progress.map((p) => p.to)).toEqual(['0001', '0002'])
  })

  it("passes Alembic's own exit codes through as python -m alembic does: argparse's usage error, a CommandError", async () => {
    const dir = writeProject({ revisions: linear(['0001']) })
    const usage = await run(['no-such-command'], dir)
    expect(usage.proc.exitCode).toBe(2)
    expect(usage.proc.exitCode).toBe((await alembic(dir, ['no-such-command'])).code)
    expect(usage.proc.stderr).toMatch(/^usage: alembic /m)
    expect(usage.versions).toHaveLength(1)

    const missing = await run(['upgrade', 'nosuchrev', '--sql'], dir)
    // util.err() exits with -1.
    expect(missing.proc.exitCode).toBe(255)
    expect(missing.proc.exitCode).toBe((await alembic(dir, ['upgrade', 'nosuchrev', '--sql'])).code)
    expect(missing.proc.stdout).toMatch(/^FAILED: .*nosuchrev/m)
  })
})

describeNeeding(['python-venv'], 'alembic-requirements virtual environment', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgma-venv-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('creates the venv under the tool cache, installs the file, reports the cache as unavailable outside GitHub, and reuses it', async () => {
    const requirements = path.join(root, 'requirements.txt')
    // PyPI is not reachable here: a requirements file with only comments still runs pip for real.
    writeFileSync(requirements, '# nothing to install offline\n')
    const lines: string[] = []
    const env: NodeJS.ProcessEnv = { ...process.env, PIP_NO_INDEX: '1' }
    delete env.ACTIONS_CACHE_URL
    delete env.ACTIONS_RESULTS_URL
    const venv = await prepareVenv({ python: PYTHON, requirementsPath: requirements, env, log: silentLogger(lines), root, workspace: root })
    expect(venv.status).toBe('unavailable')
    expect(venv.python).toBe(path.join(venv.dir, 'bin', 'python'))
    expect(existsSync(venv.python)).toBe(true)
    expect(venv.dir.startsWith(path.join(root, 'pgma-alembic-venv'))).toBe(true)
    expect(venv.key).toMatch(new RegExp(`^pgma-alembic-venv-${process.platform}-${process.arch}-py3\\.\\d+\\.\\d+-[0-9a-f]{64}$`))
    expect(venv.installMs).toBeGreaterThan(0)
    expect(venv.note).toMatch(/^Alembic venv: cache unavailable, installed .* in \d+ ms/)
    const again = await prepareVenv({ python: PYTHON, requirementsPath: requirements, env, log: silentLogger(), root, workspace: root })
    expect(again).toMatchObject({ status: 'reused', dir: venv.dir, installMs: 0 })

    writeFileSync(requirements, '# changed\n')
    const changed = await prepareVenv({ python: PYTHON, requirementsPath: requirements, env, log: silentLogger(), root, workspace: root })
    expect(changed.key).not.toBe(venv.key)
    expect(changed.dir).not.toBe(venv.dir)
  })

  it('fails naming the input when pip cannot install the requirements', async () => {
    const requirements = path.join(root, 'bad.txt')
    writeFileSync(requirements, 'alembic==1.13.2\n')
    await expect(
      prepareVenv({ python: PYTHON, requirementsPath: requirements, env: { ...process.env, PIP_NO_INDEX: '1' }, log: silentLogger(), root, workspace: root })
    ).rejects.toMatchObject({
      code: 'alembic-requirements-failed',
      location: { input: 'alembic-requirements' }
    })
  })

  it('fails naming the input when the requirements file does not exist', async () => {
    await expect(
      prepareVenv({ python: PYTHON, requirementsPath: path.join(root, 'nope.txt'), env: process.env, log: silentLogger(), root, workspace: root })
    ).rejects.toMatchObject({
      code: 'alembic-requirements-missing'
    })
  })
})
