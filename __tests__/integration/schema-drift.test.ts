import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import type { InputName } from '../../src/inputs.js'
import { scratchName } from '../../src/scratch/database.js'
import { visible, type ActionRun } from '../support/action-run.js'
import { PYTHON, removeProjects, revisionFileName, revisionSource, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeNeeding } from '../support/capabilities.js'
import { adminQuery, createTestDatabase, describeWithDatabase, dropTestDatabases, urlFor, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'
import { writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The schema change of the pending set and drift, through the bundle as the runner runs it (every
 * action.yml default as INPUT_*), against the real server: scratch databases created and dropped
 * for real, and a role without CREATEDB.
 */

let url: string
let database: string
let dir: MigrationDir
beforeEach(async () => {
  ;({ url, name: database } = await createTestDatabase('pgma_drift'))
  dir = new MigrationDir()
})
afterEach(() => dir.cleanup())
afterAll(async () => {
  removeProjects()
  await dropTestDatabases()
})

type Inputs = Partial<Record<InputName, string>>

function run(inputs: Inputs = {}, options: { onSpawn?: (child: ChildProcess) => void; migrationsPath?: string } = {}): Promise<ActionRun> {
  return runAction({
    inputs: { 'database-url': url, 'migrations-path': options.migrationsPath ?? dir.dir, extensions: 'vector', 'fail-on-risk': 'none', ...inputs },
    onSpawn: options.onSpawn
  }) as Promise<ActionRun>
}

const query = async <T = Record<string, unknown>>(sql: string, target = url): Promise<T[]> => withClient(target, async (c) => (await c.query(sql)).rows as T[])
const appliedVersions = async (): Promise<string[]> => (await query<{ version: string }>('SELECT version FROM pg_migrate_history ORDER BY version')).map((r) => r.version)

/** The scratch databases a run says it created. */
function scratchNames(result: ActionRun): string[] {
  return [...result.stdout.matchAll(/Created the scratch database (pg_migrate_scratch_\d+_[0-9a-f]{8})/g)].map((m) => m[1])
}

/** Which of `names` still exist: other suites create scratch databases of their own at the same time, so only a run's own are checked. */
async function existing(names: string[]): Promise<string[]> {
  return (await adminQuery('SELECT datname FROM pg_database WHERE datname = ANY ($1::text[])', [names])).rows.map((r) => r.datname as string)
}

const DOCS = `CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE docs (id bigint PRIMARY KEY, title text, body text);`
const CHUNKS = 'CREATE TABLE chunks (id bigint PRIMARY KEY, doc_id bigint REFERENCES docs (id), embedding vector(3));'
const CHUNKS_INDEX = 'CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 8);'

describeWithDatabase('schema change of the pending set', () => {
  it('plan shows what the pending migrations change, dynamic SQL included, computed on a scratch copy; the target is not written', async () => {
    dir.write({ '0001_docs.sql': DOCS })
    expect((await run()).exitCode).toBe(0)
    dir.write({
      '0002_change.sql': `ALTER TABLE docs ADD COLUMN embedding vector(3);
CREATE INDEX docs_embedding_idx ON docs USING hnsw (embedding vector_cosine_ops) WITH (m = 8);
ALTER TABLE docs ALTER COLUMN title TYPE varchar(200);
ALTER TABLE docs DROP COLUMN body;
DO $$ BEGIN FOR i IN 1..2 LOOP EXECUTE format('CREATE TABLE shard_%s (id int, doc_id bigint REFERENCES docs (id))', i); END LOOP; END $$;
CREATE VIEW doc_titles AS SELECT id, title FROM docs;
CREATE FUNCTION doc_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM docs';`
    })
    const result = await run({ mode: 'plan' })
    expect(result.exitCode).toBe(0)
    const summary = result.summary
    expect(summary).toContain('### Schema change')
    expect(summary).toContain('computed by running it on a scratch copy of the database’s schema (the database itself is not touched)')
    expect(summary).toContain('| ➕ added | column `public.docs.embedding` | `vector(3)` |')
    expect(summary).toContain("| ➕ added | index `public.docs_embedding_idx` on `docs` | `USING hnsw (embedding vector_cosine_ops) WITH (m='8')` |")
    expect(summary).toContain('| ✏️ altered | column `public.docs.title` | `text` → `character varying(200)` |')
    expect(summary).toContain('| ➖ dropped | column `public.docs.body` | `text` |')
    // Made by EXECUTE in a DO block: no SQL parser sees these tables, the catalogs do.
    expect(summary).toContain('| ➕ added | table `public.shard_1` | `doc_id` `bigint`<br>`id` `integer` |')
    expect(summary).toContain('| ➕ added | table `public.shard_2` |')
    expect(summary).toContain('| ➕ added | constraint `public.shard_2.shard_2_doc_id_fkey` | `FOREIGN KEY (doc_id) REFERENCES docs(id)` |')
    expect(summary).toMatch(/\| ➕ added \| view `public.doc_titles` \| `SELECT docs.id, docs.title FROM docs;` \|/)
    expect(summary).toMatch(/\| ➕ added \| function `public.doc_count\(\)` \| `CREATE OR REPLACE FUNCTION public.doc_count\(\)/)

    // The target is as it was: 0002 pending, none of its objects there.
    expect(await appliedVersions()).toEqual(['0001'])
    expect(await query("SELECT to_regclass('shard_1') AS t, to_regclass('docs_embedding_idx') AS i")).toEqual([{ t: null, i: null }])
    expect((await query("SELECT attname FROM pg_attribute WHERE attrelid = 'docs'::regclass AND attnum > 0 ORDER BY attnum")).map((r) => r.attname)).toEqual([
      'id',
      'title',
      'body'
    ])
    const scratch = scratchNames(result)
    expect(scratch).toHaveLength(1)
    expect(await existing(scratch)).toEqual([])
  }, 90_000)

  it('says when a pending migration fails on the scratch database, and migrate then reports what it changed in the target', async () => {
    dir.write({ '0001_docs.sql': DOCS })
    expect((await run()).exitCode).toBe(0)
    dir.write({ '0002_broken.sql': 'ALTER TABLE docs ADD COLUMN nope no_such_type;' })
    const plan = await run({ mode: 'validate' })
    expect(plan.exitCode).toBe(0)
    expect(plan.summary).toContain('⚠️ Not computed: Applying 1 pending migration on the scratch database failed: type &quot;no_such_type&quot; does not exist.')
    expect(scratchNames(plan)).toHaveLength(1)
    expect(await existing(scratchNames(plan))).toEqual([])
    dir.remove('0002_broken.sql')
    dir.write({ '0002_summary.sql': "ALTER TABLE docs ADD COLUMN summary text NOT NULL DEFAULT '';" })
    const migrate = await run()
    expect(migrate.exitCode).toBe(0)
    expect(migrate.summary).toContain('What the 1 migration this run applied changed in the schema — 1 added — read from the database’s catalogs before and after:')
    expect(migrate.summary).toContain("| ➕ added | column `public.docs.summary` | `text not null default ''::text` |")
  }, 90_000)

  it('never runs a migration that changes a role on a scratch database of the same server: plan creates no role, and migrate then creates it', async () => {
    const role = `pgma_scratch_role_${randomBytes(4).toString('hex')}`
    const roles = async (): Promise<string[]> => (await adminQuery('SELECT rolname FROM pg_roles WHERE rolname = $1', [role])).rows.map((r) => r.rolname as string)
    try {
      dir.write({ '0001_docs.sql': DOCS })
      expect((await run()).exitCode).toBe(0)
      // Hidden from a parser in a DO block, as migrations that create roles usually are.
      dir.write({ '0002_role.sql': `CREATE TABLE notes (id int);\nDO $$ BEGIN CREATE ROLE ${role} LOGIN PASSWORD 'pgma-role-secret'; END $$;\n` })
      for (const mode of ['plan', 'validate']) {
        const result = await run({ mode })
        expect(result.exitCode).toBe(0)
        // validate replays the applied 0001 for drift (nothing server-wide there); the pending 0002 runs on no scratch database.
        expect(scratchNames(result)).toHaveLength(mode === 'plan' ? 0 : 1)
        expect(await existing(scratchNames(result))).toEqual([])
        expect(result.summary).toMatch(
          /⏭️ Not computed: \S*0002_role\.sql:2 changes a role \(CREATE ROLE\), which belongs to the whole server: run on a scratch database of the target\S+ server it would change it for real\./
        )
        expect(await roles()).toEqual([])
      }
      const migrate = await run()
      expect(migrate.exitCode).toBe(0)
      expect(await roles()).toEqual([role])
      // The drift replay of a chain that creates a role is skipped the same way, not failed ("already exists").
      const validate = await run({ mode: 'validate' })
      expect(validate.summary).toMatch(/⏭️ Not checked: \S*0002_role\.sql:2 changes a role \(CREATE ROLE\)/)
      expect(scratchNames(validate)).toEqual([])
    } finally {
      await adminQuery(`DROP ROLE IF EXISTS ${role}`)
    }
  }, 120_000)
})

describeWithDatabase('drift', () => {
  const chain = (): void => void dir.write({ '0001_docs.sql': DOCS, '0002_chunks.sql': CHUNKS, '0003_chunks_index.sql': CHUNKS_INDEX })

  it('validate names a hand-made index, a hand-dropped column, a vector column of another dimension and an index without its operator class', async () => {
    chain()
    // A first deploy: nothing applied yet, and the summary says the database holds nothing of its own — as it does.
    const first = await run({ mode: 'validate' })
    expect(first.summary).toContain('### Drift\n\n✅ No drift: no migration is applied yet, and the database holds no objects of its own.\n')
    expect(
      await query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'v', 'S')"
      )
    ).toEqual([{ n: 0 }])
    expect((await run()).exitCode).toBe(0)
    await withClient(url, async (c) => {
      await c.query('CREATE INDEX docs_title_by_hand ON docs (title)')
      await c.query('ALTER TABLE docs DROP COLUMN body')
      await c.query('DROP INDEX chunks_embedding_idx')
      await c.query('ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(4)')
      await c.query('CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_l2_ops) WITH (m = 8)')
    })
    const result = await run({ mode: 'validate' })
    expect(result.exitCode).toBe(0)
    const summary = result.summary
    expect(summary).toContain(
      '⚠️ **The database differs from what its migrations create, in 4 objects.** Compared with a replay of its 3 applied migrations on a scratch database:'
    )
    expect(summary).toContain('| ➕ not in any migration | index `public.docs_title_by_hand` on `docs` | — | `USING btree (title)` | — |')
    expect(summary).toContain('| ➖ missing | column `public.docs.body` | `text` | — | `0001` |')
    expect(summary).toContain('| ✏️ differs | column `public.chunks.embedding` | `vector(3)` | `vector(4)` | `0002` |')
    expect(summary).toContain(
      "| ✏️ differs | index `public.chunks_embedding_idx` on `chunks` | `USING hnsw (embedding vector_cosine_ops) WITH (m='8')` | `USING hnsw (embedding vector_l2_ops) WITH (m='8')` | `0003` |"
    )
    expect(summary).toMatch(/^## ⚠️ pg-migrate-action · validate: chain valid, 0 pending, drift in 4 objects$/m)
    // Pinned to the migration that creates what is missing or different.
    expect(result.stdout).toMatch(/^::warning [^\n]*file=[^\n]*0001_docs\.sql[^\n]*::Drift: column public\.docs\.body, missing from the database \(created by 0001\)\.$/m)
    expect(result.summary).toContain('- ⚠️ Drift: the database differs from what its 3 applied migrations create, in 4 objects')
    // The one-go replay, then the one that names the migrations: both gone.
    const scratch = scratchNames(result)
    expect(scratch).toHaveLength(2)
    expect(await existing(scratch)).toEqual([])

    // drift: fail stops migrate before the pending migration is applied.
    dir.write({ '0004_more.sql': 'CREATE TABLE more (id int);' })
    const stopped = await run({ drift: 'fail' })
    expect(stopped.exitCode).toBe(1)
    expect(stopped.summary).toContain('docs/errors.md#schema-drift')
    expect(stopped.summary).toContain(
      'The database differs from what its 3 applied migrations create, in 4 objects (the first: column public.chunks.embedding, defined differently (created by 0002)). Nothing was applied.'
    )
    expect(await appliedVersions()).toEqual(['0001', '0002', '0003'])
    expect(await query("SELECT to_regclass('more') AS t")).toEqual([{ t: null }])
    expect(scratchNames(stopped)).toHaveLength(2)
    expect(await existing(scratchNames(stopped))).toEqual([])
  }, 120_000)

  it('a failed run leaves no scratch database: drift: fail when an applied migration cannot be replayed', async () => {
    await query('CREATE TABLE made_by_hand (id int)')
    dir.write({ '0001_docs.sql': DOCS, '0002_on_hand_made.sql': 'CREATE INDEX made_by_hand_id_idx ON made_by_hand (id);' })
    expect((await run()).exitCode).toBe(0)
    dir.write({ '0003_more.sql': 'CREATE TABLE more (id int);' })
    const stopped = await run({ drift: 'fail' })
    expect(stopped.exitCode).toBe(1)
    expect(stopped.summary).toContain('docs/errors.md#drift-replay-failed')
    expect(stopped.summary).toContain('relation &quot;made_by_hand&quot; does not exist')
    expect(await appliedVersions()).toEqual(['0001', '0002'])
    expect(await query("SELECT to_regclass('more') AS t")).toEqual([{ t: null }])
    expect(scratchNames(stopped)).toHaveLength(1)
    expect(await existing(scratchNames(stopped))).toEqual([])
  }, 90_000)

  it('a database without drift says so in one line, and its replay then stands for the copy', async () => {
    chain()
    expect((await run()).exitCode).toBe(0)
    dir.write({ '0004_titles.sql': 'CREATE INDEX docs_title_idx ON docs (title);' })
    const result = await run({ mode: 'validate' })
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('### Drift\n\n✅ No drift: the schema is what its 3 applied migrations create.\n')
    expect(result.summary).toContain(
      'What the 1 pending migration changes in the schema — 1 added — computed by running it on a scratch database holding a replay of the applied migrations (the drift check found it identical to the database’s schema):'
    )
    expect(result.summary).toContain('| ➕ added | index `public.docs_title_idx` on `docs` | `USING btree (title)` |')
    // One scratch database for both.
    const scratch = scratchNames(result)
    expect(scratch).toHaveLength(1)
    expect(await existing(scratch)).toEqual([])
    expect(await appliedVersions()).toEqual(['0001', '0002', '0003'])
  }, 90_000)

  it('migrate with nothing pending does not replay', async () => {
    chain()
    expect((await run()).exitCode).toBe(0)
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(scratchNames(result)).toEqual([])
    expect(result.summary).toMatch(/\| drift \| ⏭️ skipped \| [^|]+ \| nothing to apply \(mode: validate checks drift on every run\) \|/)
  }, 90_000)

  it('leaves no scratch database after kill -9 once a later run has removed the stale ones', async () => {
    // Sleeps on a scratch database only, so the run can be killed while its replay is there.
    dir.write({
      '0001_slow_on_scratch.sql': `CREATE TABLE docs (id int);
DO $$ BEGIN IF starts_with(current_database(), 'pg_migrate_scratch_') THEN PERFORM pg_sleep(60); END IF; END $$;`
    })
    expect((await run()).exitCode).toBe(0)
    let child: ChildProcess | undefined
    let stdout = ''
    const killed = run({ mode: 'validate' }, { onSpawn: (c) => void ((child = c), c.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))) })
    const name = await waitFor('the replay to sleep on its scratch database', async () => {
      const created = /Created the scratch database (pg_migrate_scratch_\w+)/.exec(stdout)?.[1]
      if (!created) return undefined
      const { rows } = await adminQuery(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep%' AND state = 'active'`, [created])
      return rows.length > 0 ? created : undefined
    })
    child!.kill('SIGKILL')
    await killed
    expect(await existing([name])).toEqual([name])

    // An hour later, as the name tells: the killed run's sessions are gone by then.
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name])
    const stale = scratchName(new Date(Date.now() - 2 * 60 * 60 * 1000))
    await adminQuery(`ALTER DATABASE ${name} RENAME TO ${stale}`)
    // A scratch database of a run still going (another job on the same server) is not touched.
    const fresh = scratchName()
    await adminQuery(`CREATE DATABASE ${fresh}`)
    try {
      const other = await createTestDatabase('pgma_drift_other')
      const plain = new MigrationDir().write({ '0001_t.sql': 'CREATE TABLE t (id int);' })
      try {
        const later = (await runAction({ inputs: { 'database-url': other.url, 'migrations-path': plain.dir, extensions: '', mode: 'plan' } })) as ActionRun
        expect(later.exitCode).toBe(0)
        expect(later.stdout).toContain(`Dropped the stale scratch database ${stale}, left by a run that ended before it could drop it`)
        expect(await existing([stale, fresh, ...scratchNames(later)])).toEqual([fresh])
      } finally {
        plain.cleanup()
      }
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${fresh}`)
      await adminQuery(`DROP DATABASE IF EXISTS ${stale} WITH (FORCE)`)
    }
  }, 120_000)
})

describeWithDatabase('a role that may not create databases', () => {
  const password = `pw-${randomBytes(6).toString('hex')}`
  let role: string
  let roleUrl: string
  beforeEach(async () => {
    role = `${database}_app`
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`)
    await adminQuery(`ALTER DATABASE ${database} OWNER TO ${role}`)
    const u = new URL(url)
    u.username = role
    u.password = password
    roleUrl = u.toString()
  })
  afterEach(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await adminQuery(`DROP DATABASE IF EXISTS ${database}_shadow WITH (FORCE)`)
    await adminQuery(`DROP ROLE IF EXISTS ${role}`)
  })

  it('gets one line saying why drift and the schema change were skipped; with shadow-database-url both run there', async () => {
    dir.write({ '0001_docs.sql': 'CREATE TABLE docs (id bigint PRIMARY KEY, title text);' })
    const asRole = (inputs: Inputs = {}): Promise<ActionRun> => run({ 'database-url': roleUrl, extensions: '', ...inputs })
    expect((await asRole()).exitCode).toBe(0)
    await withClient(roleUrl, (c) => c.query('CREATE INDEX docs_title_by_hand ON docs (title)'))
    dir.write({ '0002_summary.sql': 'ALTER TABLE docs ADD COLUMN summary text;' })

    const skipped = await asRole({ mode: 'validate' })
    expect(skipped.exitCode).toBe(0)
    const line = `⏭️ Not checked: the role ${role} may not create databases (no CREATEDB), and no shadow-database-url is set. Grant the role CREATEDB, or set \`shadow-database-url\` to a database the action may empty.`
    expect(skipped.summary).toContain(`### Drift\n\n${line}\n`)
    expect(skipped.summary).toContain(`### Schema change\n\n${line.replace('Not checked', 'Not computed')}\n`)
    expect(scratchNames(skipped)).toEqual([])

    // A shadow database the role owns, holding what a killed run left there.
    await adminQuery(`CREATE DATABASE ${database}_shadow OWNER ${role}`)
    const shadowUrl = urlFor(`${database}_shadow`, roleUrl)
    await withClient(shadowUrl, (c) => c.query("CREATE TABLE left_over (id int); CREATE SCHEMA left_schema; CREATE TYPE mood AS ENUM ('ok')"))
    const shadowed = await asRole({ mode: 'validate', 'shadow-database-url': shadowUrl })
    expect(shadowed.exitCode).toBe(0)
    expect(shadowed.summary).toContain('| ➕ not in any migration | index `public.docs_title_by_hand` on `docs` | — |')
    expect(shadowed.summary).toContain('| ➕ added | column `public.docs.summary` | `text` |')
    expect(visible(shadowed)).not.toContain(password)
    // Emptied after use; the target untouched.
    expect(
      await query(
        `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`,
        shadowUrl
      )
    ).toEqual([{ n: 0 }])
    expect(await query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname IN ('left_schema')`, shadowUrl)).toEqual([{ n: 0 }])
    expect(await query(`SELECT count(*)::int AS n FROM pg_migrate_history`)).toEqual([{ n: 1 }])
  }, 120_000)

  it('refuses a shadow-database-url that reaches the target by another spelling', async () => {
    dir.write({ '0001_docs.sql': 'CREATE TABLE docs (id bigint PRIMARY KEY);' })
    const sameByAnotherName = new URL(roleUrl)
    sameByAnotherName.hostname = sameByAnotherName.hostname === 'localhost' ? '127.0.0.1' : 'localhost'
    expect((await run({ 'database-url': roleUrl, extensions: '' })).exitCode).toBe(0)
    dir.write({ '0002_more.sql': 'CREATE TABLE more (id int);' })
    const refused = await run({ 'database-url': roleUrl, extensions: '', mode: 'validate', 'shadow-database-url': sameByAnotherName.toString() })
    expect(refused.exitCode).toBe(1)
    expect(refused.summary).toContain("Input 'shadow-database-url' reaches the same database as database-url")
    expect(await query("SELECT to_regclass('docs') AS t")).toEqual([{ t: 'docs' }])
  }, 90_000)
})

describeNeeding(['database', 'alembic'], 'drift and the schema change of an Alembic chain (real Alembic)', () => {
  const A1: RevisionSpec = {
    id: 'a1',
    message: 'docs',
    upgrade: [
      "op.execute('CREATE EXTENSION IF NOT EXISTS vector')",
      "op.create_table('docs', sa.Column('id', sa.Integer, primary_key=True), sa.Column('title', sa.Text), sa.Column('body', sa.Text))",
      "op.execute('ALTER TABLE docs ADD COLUMN embedding vector(3)')"
    ]
  }
  const B2: RevisionSpec = {
    id: 'b2',
    down: 'a1',
    message: 'index and shards',
    upgrade: ["op.create_index('docs_title_idx', 'docs', ['title'])", 'for i in range(2):', "    op.execute('CREATE TABLE shard_%d (id int)' % i)"]
  }

  it('validate replays with alembic upgrade <current> to name drift, and runs the pending revision on a copy', async () => {
    const project = writeProject({ revisions: [A1] })
    expect((await run({ python: PYTHON }, { migrationsPath: project })).exitCode).toBe(0)
    await withClient(url, async (c) => {
      await c.query('ALTER TABLE docs DROP COLUMN body')
      await c.query('ALTER TABLE docs ALTER COLUMN embedding TYPE vector(5)')
    })
    writeFileSync(path.join(project, 'migrations', 'versions', revisionFileName(B2)), revisionSource(B2))
    const result = await run({ python: PYTHON, mode: 'validate' }, { migrationsPath: project })
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('| ➖ missing | column `public.docs.body` | `text` | — | `a1` |')
    expect(result.summary).toContain('| ✏️ differs | column `public.docs.embedding` | `vector(3)` | `vector(5)` | `a1` |')
    expect(result.summary).toContain('| ➕ added | index `public.docs_title_idx` on `docs` | `USING btree (title)` |')
    // Drift found, so not the replay: a copy of the database's schema, with its alembic_version row.
    expect(result.summary).toContain('computed by running it on a scratch copy of the database’s schema')
    expect(result.summary).toContain('| ➕ added | table `public.shard_0` | `id` `integer` |')
    expect(result.summary).toContain('| ➕ added | table `public.shard_1` | `id` `integer` |')
    expect(result.stdout).toMatch(/alembic upgrade a1/)
    expect(await query('SELECT version_num FROM alembic_version')).toEqual([{ version_num: 'a1' }])
    expect(await existing(scratchNames(result))).toEqual([])
  }, 180_000)
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}
