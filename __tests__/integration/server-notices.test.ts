import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { planAnnotations } from '../../src/runner/annotations.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'
import { PYTHON, removeProjects, revisionFileName, STACKS, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'

/**
 * The server's NOTICEs and WARNINGs while a migration runs (pgvector's "hnsw graph no longer fits
 * into maintenance_work_mem", "ivfflat index created with little data", a RAISE) stay with the
 * migration and the statement that raised them: in the log as they come, in the summary, and as a
 * warning annotation at the statement when they call for action.
 */
const NONE = { error: 0, warning: 0, notice: 0 }

describeWithDatabase('server notices during the SQL migrations', () => {
  let dir: MigrationDir
  afterEach(() => dir?.cleanup())
  afterAll(() => dropTestDatabases())

  const pipeline = (url: string, inputs: Partial<Record<InputName, string>> = {}, log: string[] = []) => {
    const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, engine: 'sql', 'fail-on-risk': 'none', ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(log), env: {} })
  }

  const query = async (url: string, sql: string): Promise<Record<string, unknown>[]> => {
    const client = await connectClient(url)
    try {
      return (await client.query(sql)).rows
    } finally {
      await client.end()
    }
  }

  // 2,000 rows of vector(8): HNSW's graph outgrows 1MB of maintenance_work_mem after ~1,300 of them, and fits in the default 64MB.
  const ITEMS = {
    '0001_items.sql':
      'CREATE TABLE items (id int PRIMARY KEY, embedding vector(8));\n' +
      'INSERT INTO items SELECT i, ARRAY(SELECT random() FROM generate_series(1, 8) WHERE i > 0)::vector FROM generate_series(1, 2000) i;\n'
  }
  const HNSW = { '0002_hnsw.sql': '-- the graph of 2,000 rows\n\nCREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops);\n' }

  it("keeps pgvector's HNSW spill notice with its migration and statement: log, summary, and a warning annotation at file:line with the tuple count", async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({ ...ITEMS, ...HNSW })
    const log: string[] = []
    const { report } = await pipeline(db.url, { 'maintenance-work-mem': '1MB' }, log)
    expect(report.error).toBeUndefined()
    expect(report.apply?.runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'applied'],
      ['0002', 'applied']
    ])
    // The index the summary calls applied is there, and valid.
    expect(await query(db.url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_embedding_idx'::regclass")).toEqual([{ indisvalid: true }])

    const [items, hnsw] = report.apply!.runs
    expect(items.notices).toBeUndefined()
    const file = path.join(dir.dir, '0002_hnsw.sql')
    expect(hnsw.notices).toEqual([
      {
        severity: 'NOTICE',
        message: expect.stringMatching(/^hnsw graph no longer fits into maintenance_work_mem after \d+ tuples$/),
        detail: 'Building will take significantly more time.',
        hint: 'Increase maintenance_work_mem to speed up builds.',
        code: '00000',
        file: expect.stringMatching(/0002_hnsw\.sql$/),
        line: 3,
        statement: 'CREATE INDEX items_embedding_idx ON items USING hnsw (emb…'
      }
    ])
    const tuples = Number(/after (\d+) tuples/.exec(hnsw.notices![0].message)![1])
    expect(tuples).toBeGreaterThan(0)
    expect(tuples).toBeLessThan(2000)
    expect(path.resolve(hnsw.notices![0].file)).toBe(file)

    // Logged as it arrived, before the migration ended.
    const noticeLine = log.findIndex((l) => l.includes(`NOTICE from ${hnsw.notices![0].file}:3: hnsw graph no longer fits`))
    expect(noticeLine).toBeGreaterThanOrEqual(0)
    expect(noticeLine).toBeLessThan(log.findIndex((l) => /0002_hnsw\.sql applied in/.test(l)))

    const annotations = planAnnotations(report, NONE).shown.filter((a) => a.properties.title?.includes('HNSW'))
    expect(annotations).toEqual([
      {
        kind: 'warning',
        source: 'notice',
        message: expect.stringContaining('Give the next such build more memory with the input `maintenance-work-mem`'),
        properties: { title: `Migration 0002: HNSW build spilled out of maintenance_work_mem after ${tuples} tuples`, file: hnsw.notices![0].file, startLine: 3 }
      }
    ])

    const summary = renderReport(report)
    expect(summary).toContain('### Server notices')
    expect(summary).toContain(`| \`0002\` | \`${hnsw.notices![0].file}:3\` | ⚠️ NOTICE | hnsw graph no longer fits into maintenance_work_mem after ${tuples} tuples`)
    expect(summary).toMatch(/\| `0002` \|[^\n]*1 server notice, 1 to act on \(see Server notices\)/)
  })

  it('has no spill notice when the build fits: the default maintenance_work_mem, or the input set large enough', async () => {
    for (const inputs of [{}, { 'maintenance-work-mem': '64MB' }]) {
      const db = await createTestDatabase()
      dir = new MigrationDir().write({ ...ITEMS, ...HNSW })
      const { report } = await pipeline(db.url, inputs)
      expect(report.apply?.runs.map((r) => [r.id, r.status, r.notices])).toEqual([
        ['0001', 'applied', undefined],
        ['0002', 'applied', undefined]
      ])
      expect(renderReport(report)).not.toContain('### Server notices')
      dir.cleanup()
    }
  })

  it('annotates an IVFFlat index built with little data, run outside a transaction, at its statement', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_few.sql': "CREATE TABLE few (id int, e vector(3));\nINSERT INTO few VALUES (1, '[1,2,3]');\n",
      '0002_ivfflat.sql': '-- pg-migrate:no-transaction\nCREATE INDEX CONCURRENTLY few_e_idx\n  ON few USING ivfflat (e vector_l2_ops) WITH (lists = 10);\n'
    })
    const { report } = await pipeline(db.url)
    expect(report.error).toBeUndefined()
    const ivfflat = report.apply!.runs[1]
    expect(ivfflat.transactional).toBe(false)
    expect(ivfflat.notices).toEqual([
      expect.objectContaining({
        severity: 'NOTICE',
        message: 'ivfflat index created with little data',
        detail: 'This will cause low recall.',
        line: 2,
        statement: 'CREATE INDEX CONCURRENTLY few_e_idx'
      })
    ])
    const [annotation] = planAnnotations(report, NONE).shown.filter((a) => a.source === 'notice')
    expect(annotation).toMatchObject({ kind: 'warning', properties: { title: 'Migration 0002: IVFFlat index built with little data (low recall)', startLine: 2 } })
    expect(annotation.message).toContain('Build it (or `REINDEX` it) once the table holds its data.')
  })

  it('gives each migration its own notices in transaction: all, and annotates a server WARNING', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_drop.sql': "DROP TABLE IF EXISTS nothing_here;\nDO $$ BEGIN RAISE NOTICE 'first: %', 1; END $$;\nCREATE TABLE t (id int);\n",
      '0002_raise.sql': "CREATE TABLE u (id int);\nDO $$ BEGIN RAISE NOTICE 'rows: %', 0; RAISE WARNING 'check u'; END $$;\n"
    })
    const { report } = await pipeline(db.url, { transaction: 'all' })
    expect(report.error).toBeUndefined()
    const [drop, raise] = report.apply!.runs
    // IF EXISTS's own answer ("does not exist, skipping") is what the statement was written for: not kept.
    expect(drop.notices?.map((n) => [n.severity, n.message, n.line])).toEqual([['NOTICE', 'first: 1', 2]])
    expect(raise.notices?.map((n) => [n.severity, n.message, n.line])).toEqual([
      ['NOTICE', 'rows: 0', 2],
      ['WARNING', 'check u', 2]
    ])
    // A server WARNING is annotated; a plain NOTICE only listed.
    expect(
      planAnnotations(report, NONE)
        .shown.filter((a) => a.source === 'notice')
        .map((a) => [a.properties.title, a.properties.startLine])
    ).toEqual([['Migration 0002: server WARNING', 2]])
    expect(renderReport(report)).toContain('1 notice marked ⚠️ is also annotated at its statement.')
  })
})

/** 2,000 rows of vector(8), then the HNSW build that outgrows 1MB of maintenance_work_mem and a server WARNING, as op.execute calls. */
const ALEMBIC_ITEMS: RevisionSpec[] = [
  {
    id: '0001',
    down: null,
    message: 'items',
    upgrade: [
      "op.execute('CREATE TABLE items (id int PRIMARY KEY, embedding vector(8))')",
      "op.execute('INSERT INTO items SELECT i, ARRAY(SELECT random() FROM generate_series(1, 8) WHERE i > 0)::vector FROM generate_series(1, 2000) i')"
    ]
  },
  {
    id: '0002',
    down: '0001',
    message: 'hnsw',
    upgrade: [
      "op.create_table('notes', sa.Column('id', sa.Integer, primary_key=True))",
      "op.execute('CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops)')",
      "op.execute(\"DO $$ BEGIN RAISE WARNING 'check the index' USING DETAIL = 'built on 2000 rows', HINT = 'look at recall'; END $$\")"
    ]
  }
]

describeEachNeeding(['database'], STACKS, 'server notices during Alembic migrations with $name', (stack) => {
  let restore: () => void
  beforeAll(() => {
    restore = useStack(stack)
  })
  afterAll(() => {
    restore()
    removeProjects()
    return dropTestDatabases()
  })

  it("keeps the server's notices with the revision that ran, at the line of its file that ran the statement: log, summary, annotation", async () => {
    const db = await createTestDatabase()
    const project = writeProject({ revisions: ALEMBIC_ITEMS })
    const all: Partial<Record<InputName, string>> = {
      'database-url': db.url,
      'migrations-path': project,
      engine: 'alembic',
      python: PYTHON,
      'fail-on-risk': 'none',
      'maintenance-work-mem': '1MB'
    }
    const log: string[] = []
    const { report } = await runPipeline((name) => all[name], { log: silentLogger(log), env: process.env })
    expect(report.error).toBeUndefined()
    expect(report.apply?.runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'applied'],
      ['0002', 'applied']
    ])
    const client = await connectClient(db.url)
    try {
      // The index the summary calls applied is there, and valid.
      expect((await client.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_embedding_idx'::regclass")).rows).toEqual([{ indisvalid: true }])
    } finally {
      await client.end()
    }

    const [items, hnsw] = report.apply!.runs
    expect(items.notices).toBeUndefined()
    const fileName = revisionFileName(ALEMBIC_ITEMS[1])
    const source = readFileSync(path.join(project, 'migrations', 'versions', fileName), 'utf8').split('\n')
    const lineOf = (text: string): number => source.findIndex((l) => l.includes(text)) + 1
    expect(hnsw.notices).toEqual([
      {
        severity: 'NOTICE',
        message: expect.stringMatching(/^hnsw graph no longer fits into maintenance_work_mem after \d+ tuples$/),
        detail: 'Building will take significantly more time.',
        hint: 'Increase maintenance_work_mem to speed up builds.',
        file: hnsw.file,
        line: lineOf('CREATE INDEX items_embedding_idx'),
        statement: 'CREATE INDEX items_embedding_idx ON items USING hnsw (emb…'
      },
      {
        severity: 'WARNING',
        message: 'check the index',
        detail: 'built on 2000 rows',
        hint: 'look at recall',
        file: hnsw.file,
        line: lineOf('RAISE WARNING'),
        statement: "DO $$ BEGIN RAISE WARNING 'check the index' USING DETAIL …"
      }
    ])
    expect(hnsw.file).toMatch(new RegExp(`${fileName.replace('.', '\\.')}$`))
    const tuples = Number(/after (\d+) tuples/.exec(hnsw.notices![0].message)![1])
    expect(tuples).toBeGreaterThan(0)
    expect(tuples).toBeLessThan(2000)
    expect(log.some((l) => l.startsWith(`NOTICE from ${hnsw.file}:${lineOf('CREATE INDEX items_embedding_idx')}: hnsw graph no longer fits`))).toBe(true)

    const annotations = planAnnotations(report, NONE).shown.filter((a) => a.source === 'notice')
    expect(annotations.map((a) => [a.properties.title, a.properties.file, a.properties.startLine])).toEqual([
      [`Migration 0002: HNSW build spilled out of maintenance_work_mem after ${tuples} tuples`, hnsw.file, lineOf('CREATE INDEX items_embedding_idx')],
      ['Migration 0002: server WARNING', hnsw.file, lineOf('RAISE WARNING')]
    ])
    const summary = renderReport(report)
    expect(summary).toContain('### Server notices')
    expect(summary).toContain(`| \`0002\` | \`${hnsw.file}:${lineOf('CREATE INDEX items_embedding_idx')}\` | ⚠️ NOTICE | hnsw graph no longer fits`)
  }, 90_000)
})
