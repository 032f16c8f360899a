import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { readSettings, type InputName } from '../../src/inputs.js'
import { renderDriftSection } from '../../src/report/drift.js'
import { definition, renderSchemaChangeSection } from '../../src/report/schema-changes.js'
import { scratchCreatedAt, scratchName, SCRATCH_PREFIX } from '../../src/scratch/database.js'
import type { DriftOutcome, SchemaChangeOutcome } from '../../src/scratch/outcomes.js'
import { withDatabase, parseDatabaseUrl } from '../../src/database-url.js'
import { renderGfm, tableRows } from '../support/gfm.js'

/** The inputs, scratch names and the two report sections of the schema change and drift. */

const url = 'postgres://app:s3cret@db.internal:5433/app'
const settings = (inputs: Partial<Record<InputName, string>>) => readSettings((name) => ({ 'database-url': url, ...inputs })[name], {})
function refusal(inputs: Partial<Record<InputName, string>>): ActionError {
  try {
    settings(inputs)
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('expected readSettings to fail')
}

describe('drift and shadow-database-url inputs', () => {
  it('drift defaults to warn, and takes off, warn or fail', () => {
    expect(settings({}).drift).toBe('warn')
    expect(settings({ drift: 'FAIL' }).drift).toBe('fail')
    expect(refusal({ drift: 'strict' }).message).toBe("Input 'drift' must be one of off, warn, fail; got 'strict'.")
  })

  it('shadow-database-url is parsed like database-url, named in its own messages, and refused when it is the target', () => {
    expect(settings({}).shadowDatabaseUrl).toBeUndefined()
    expect(settings({ 'shadow-database-url': 'postgres://app:other@db.internal:5433/app_shadow' }).shadowDatabaseUrl).toMatchObject({ database: 'app_shadow', password: 'other' })
    const bad = refusal({ 'shadow-database-url': 'mysql://u:p@h/db' })
    expect(bad.message).toMatch(/^Input 'shadow-database-url' must be a PostgreSQL URL/)
    expect(bad.location.input).toBe('shadow-database-url')
    const same = refusal({ 'shadow-database-url': 'postgresql://other:pw@db.internal:5433/app' })
    expect(same.message).toContain("Input 'shadow-database-url' names the database of database-url")
    expect(same.location.input).toBe('shadow-database-url')
  })

  it('a scratch database is reached with the same server, credentials, driver and parameters', () => {
    const scratch = withDatabase(parseDatabaseUrl('postgresql+psycopg2://app:p%40ss@/app?host=/run/postgresql&port=5433&sslmode=disable'), 'pg_migrate_scratch_1_ab')
    expect(scratch).toMatchObject({
      database: 'pg_migrate_scratch_1_ab',
      host: '/run/postgresql',
      port: 5433,
      user: 'app',
      password: 'p@ss',
      driver: 'psycopg2',
      tls: 'sslmode=disable'
    })
    expect(scratch.forSqlAlchemy).toMatch(/^postgresql\+psycopg2:\/\/app:p%40ss@\/pg_migrate_scratch_1_ab\?host=/)
  })
})

describe('scratch database names', () => {
  it('carry the prefix and their creation time, to the second', () => {
    const at = new Date('2026-03-01T12:00:00Z')
    const name = scratchName(at)
    expect(name).toMatch(/^pg_migrate_scratch_1772366400_[0-9a-f]{8}$/)
    expect(name.startsWith(SCRATCH_PREFIX)).toBe(true)
    expect(scratchCreatedAt(name)).toEqual(at)
    expect(scratchName(at)).not.toBe(name)
  })

  it('nothing else reads as a scratch database', () => {
    expect(scratchCreatedAt('pg_migrate_scratch_')).toBeUndefined()
    expect(scratchCreatedAt('pg_migrate_scratch_1772366400_xyz')).toBeUndefined()
    expect(scratchCreatedAt('app_pg_migrate_scratch_1772366400_0123abcd')).toBeUndefined()
  })
})

const computed: SchemaChangeOutcome = {
  status: 'computed',
  basis: 'copy',
  revisions: ['0002', '0003'],
  changes: [
    { object: 'column public.docs.body', change: 'removed', before: 'text' },
    { object: 'column public.docs.embedding', change: 'added', after: 'vector(1536)' },
    { object: 'column public.docs.title', change: 'changed', before: 'text', after: 'character varying(200)' },
    { object: 'column public.tags.id', change: 'added', after: 'integer not null' },
    { object: 'column public.tags.name', change: 'added', after: 'text' },
    { object: 'constraint public.tags.tags_pkey', change: 'added', after: 'PRIMARY KEY (id)' },
    { object: 'function public.f()', change: 'added', after: 'CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT 1 $function$\n' },
    {
      object: 'index public.docs_embedding_idx on docs',
      change: 'added',
      after: "CREATE INDEX docs_embedding_idx ON public.docs USING hnsw (embedding vector_cosine_ops) WITH (m='16')"
    },
    { object: 'index public.tags_pkey on tags', change: 'added', after: 'CREATE UNIQUE INDEX tags_pkey ON public.tags USING btree (id)' },
    { object: 'table public.old', change: 'removed', before: '' },
    { object: 'column public.old.id', change: 'removed', before: 'integer' },
    { object: 'index public.old_pkey on old', change: 'removed', before: 'CREATE UNIQUE INDEX old_pkey ON public.old USING btree (id)' },
    { object: 'table public.tags', change: 'added', after: '' }
  ]
}

describe('the Schema change section', () => {
  it('lists each object once, a new table with its columns and types, a dropped one with what went with it', () => {
    const section = renderSchemaChangeSection(computed)
    expect(section).toContain(
      'What the 2 pending migrations change in the schema — 8 added, 4 dropped, 1 altered — computed by running them on a scratch copy of the database’s schema (the database itself is not touched):'
    )
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Change') && !l.startsWith('| ---'))
    expect(rows).toEqual([
      '| ➖ dropped | table `public.old`<br><sub>with its 1 index</sub> | `id` `integer` |',
      '| ➕ added | table `public.tags` | `id` `integer not null`<br>`name` `text` |',
      '| ➖ dropped | column `public.docs.body` | `text` |',
      '| ➕ added | column `public.docs.embedding` | `vector(1536)` |',
      '| ✏️ altered | column `public.docs.title` | `text` → `character varying(200)` |',
      "| ➕ added | index `public.docs_embedding_idx` on `docs` | `USING hnsw (embedding vector_cosine_ops) WITH (m='16')` |",
      '| ➕ added | index `public.tags_pkey` on `tags` | `UNIQUE USING btree (id)` |',
      '| ➕ added | constraint `public.tags.tags_pkey` | `PRIMARY KEY (id)` |',
      '| ➕ added | function `public.f()` | `CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $function$ SELECT 1 $function$` |'
    ])
    expect(section).toContain('- column public.docs.title: text\n+ column public.docs.title: character varying(200)')
    // As GitHub renders it: one table row per object, the altered column's arrow inside its cell.
    const rendered = tableRows(renderGfm(section))
    expect(rendered).toHaveLength(rows.length + 1)
    expect(rendered).toContain('✏️ altered | column public.docs.title | text → character varying(200)')
  })

  it('cuts at a row budget, with a line saying how many changes are left out', () => {
    const section = renderSchemaChangeSection(computed, { maxRows: 3, heading: '#### Schema change' })
    expect(section.startsWith('#### Schema change\n')).toBe(true)
    expect(section).toContain('… and 6 more changes, in the diff below.')
  })

  it('says in one line why it was not computed, or that nothing changes; nothing when nothing is pending', () => {
    expect(renderSchemaChangeSection({ status: 'skipped', reason: 'nothing is pending', revisions: [], changes: [] })).toBe('')
    expect(
      renderSchemaChangeSection({
        status: 'skipped',
        reason: 'the role app may not create databases (no CREATEDB), and no shadow-database-url is set',
        revisions: ['1'],
        changes: []
      })
    ).toBe(
      '### Schema change\n\n⏭️ Not computed: the role app may not create databases (no CREATEDB), and no shadow-database-url is set. Grant the role CREATEDB, or set `shadow-database-url` to a database the action may empty.\n'
    )
    expect(renderSchemaChangeSection({ status: 'computed', basis: 'target', revisions: ['1'], changes: [] })).toBe(
      '### Schema change\n\nThe 1 migration this run applied changed no table, column, index, constraint, extension, function or view (read from the database’s catalogs before and after).\n'
    )
  })
})

describe('the Drift section', () => {
  const drifted: DriftOutcome = {
    policy: 'warn',
    status: 'drifted',
    replayed: 3,
    entries: [
      { object: 'column public.docs.body', change: 'removed', before: 'text', createdBy: '0001' },
      { object: 'column public.docs.embedding', change: 'changed', before: 'vector(3)', after: 'vector(4)', createdBy: '0001', changedBy: '0002' },
      { object: 'index public.by_hand on docs', change: 'added', after: 'CREATE INDEX by_hand ON public.docs USING btree (title)' }
    ]
  }

  it('names each difference and the migration behind it', () => {
    const section = renderDriftSection(drifted)
    expect(section).toContain(
      '⚠️ **The database differs from what its migrations create, in 3 objects.** Compared with a replay of its 3 applied migrations on a scratch database:'
    )
    expect(section).toContain('| ➖ missing | column `public.docs.body` | `text` | — | `0001` |')
    expect(section).toContain('| ✏️ differs | column `public.docs.embedding` | `vector(3)` | `vector(4)` | `0001`, changed by `0002` |')
    expect(section).toContain('| ➕ not in any migration | index `public.by_hand` on `docs` | — | `USING btree (title)` | — |')
    expect(renderDriftSection({ ...drifted, policy: 'fail' })).toContain(
      '❌ **The database differs from what its migrations create, in 3 objects.** Nothing was applied (`drift: fail`).'
    )
    expect(tableRows(renderGfm(section))).toHaveLength(4)
  })

  it('says so in one line when there is no drift, or when it was not checked', () => {
    expect(renderDriftSection({ policy: 'warn', status: 'clean', replayed: 1, entries: [] })).toBe(
      '### Drift\n\n✅ No drift: the schema is what its 1 applied migration creates.\n'
    )
    expect(renderDriftSection({ policy: 'warn', status: 'clean', replayed: 0, entries: [] })).toBe(
      '### Drift\n\n✅ No drift: no migration is applied yet, and the database holds no objects of its own.\n'
    )
    expect(renderDriftSection({ policy: 'fail', status: 'failed', replayed: 2, entries: [], reason: 'Replaying 2 applied migrations on the scratch database failed: boom' })).toBe(
      '### Drift\n\n❌ Not checked: Replaying 2 applied migrations on the scratch database failed: boom.\n'
    )
  })
})

describe('an index definition in the tables', () => {
  it('drops what the row already names (CREATE INDEX name ON table), keeps UNIQUE, the method and options', () => {
    expect(definition("CREATE INDEX e_idx ON public.docs USING hnsw (embedding vector_cosine_ops) WITH (m='16')")).toBe("`USING hnsw (embedding vector_cosine_ops) WITH (m='16')`")
    expect(definition('CREATE UNIQUE INDEX t_key ON ONLY public.t USING btree (a, b)')).toBe('`UNIQUE USING btree (a, b)`')
    expect(definition('CREATE TABLE t (id int)')).toBe('`CREATE TABLE t (id int)`')
  })
})
