import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { InputName } from '../../src/inputs.js'
import { LOCK_KEY } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { PYTHON, STACKS, useStack, writeProject, removeProjects, type RevisionSpec } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/** mode: repair against the real server (SQL chains) and real Alembic, through the pipeline. */

let url: string

beforeEach(async () => {
  url = (await createTestDatabase('pgma_repair')).url
})
afterAll(() => dropTestDatabases())

function pipeline(inputs: Partial<Record<InputName, string>>) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, extensions: '', ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env: process.env })
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return withClient(url, async (c) => (await c.query(sql)).rows)
}

describeWithAnyDatabase('mode: repair, SQL chains', () => {
  let dir: MigrationDir
  beforeEach(() => {
    dir = new MigrationDir()
  })
  afterEach(() => dir.cleanup())

  const run = (inputs: Partial<Record<InputName, string>> = {}) => pipeline({ 'migrations-path': dir.dir, ...inputs })
  const history = () => query(`SELECT version, dirty, checksum, statements_done FROM pg_migrate_history ORDER BY version`)

  /** 0002 fails on its second statement and is left dirty with one of three statements done. */
  async function leaveDirty(): Promise<void> {
    dir.write({
      '0001_t.sql': 'CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (2, 1);\n',
      '0002_idx.sql': 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v);\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n',
      '0003_after.sql': 'CREATE TABLE after_idx (id int);\n'
    })
    const failed = await run()
    expect(failed.report.error?.code).toBe('migration-failed')
    expect(failed.report.apply!.failure!.recovery.at(-1)).toBe(
      'Either way the action can record it for you: run it once with mode: repair, repair-revision: 0002 and repair-action: mark-pending (retry) or mark-applied (finished by hand).'
    )
    expect(await history()).toEqual([expect.objectContaining({ version: '0001', dirty: false }), expect.objectContaining({ version: '0002', dirty: true, statements_done: 1 })])
  }

  it("mark-applied records a migration finished by hand as clean, with the fixed file's checksum; the next run goes on after it", async () => {
    await leaveDirty()
    // The user finishes 0002 by hand (the duplicate values fixed, the invalid index rebuilt) and fixes the file.
    await withClient(url, async (c) => {
      await c.query(`UPDATE t SET v = id; DROP INDEX t_v_key`)
      await c.query(`CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)`)
      await c.query(`CREATE INDEX CONCURRENTLY t_v_idx ON t (v)`)
    })
    dir.write({
      '0002_idx.sql':
        'UPDATE t SET v = id;\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v);\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n'
    })
    const refused = await run()
    expect(refused.report.error?.code).toBe('chain-invalid')
    expect(refused.report.problems.find((p) => p.code === 'dirty-migration')!.hint).toContain(
      'run this action once with mode: repair, repair-revision: 0002 and repair-action: mark-applied'
    )

    const repaired = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0002' })
    expect(repaired.report.status).toBe('success')
    expect(repaired.report.apply).toBeUndefined()
    expect(repaired.report.stages.map((s) => s.name)).toEqual(['inputs', 'wait', 'extensions', 'load chain', 'lock', 'repair'])
    const result = repaired.report.repair!
    expect(result.done).toMatch(/^recorded 0002 as applied: cleared its dirty flag and stored the checksum of .*migrations\/0002_idx\.sql as it is now$/)
    expect(result.before).toEqual([['0002', 'idx', expect.any(String), 'true', '1 of 3', expect.any(String)]])
    expect(result.after).toEqual([['0002', 'idx', expect.any(String), 'false', '3 of 3', expect.any(String)]])
    expect(result.after[0][2]).not.toBe(result.before[0][2])

    const summary = renderReport(repaired.report)
    expect(summary).toMatch(/^## ✅ pg-migrate-action · repair: recorded 0002 as applied/)
    expect(summary).toContain('### Repair of `0002`')
    expect(summary).toMatch(/\| before \| 0002 \| idx \| [0-9a-f]{12}… \| true \| 1 of 3 \|/)
    expect(summary).toMatch(/\| after \| 0002 \| idx \| [0-9a-f]{12}… \| false \| 3 of 3 \|/)
    // The full checksum is in the command that was run.
    expect(summary).toContain(`checksum = '${result.after[0][2]}'`)

    const next = await run()
    expect(next.report.status).toBe('success')
    expect(next.report.apply!.runs.map((r) => [r.id, r.status])).toEqual([['0003', 'applied']])
    expect((await history()).map((r) => [r.version, r.dirty])).toEqual([
      ['0001', false],
      ['0002', false],
      ['0003', false]
    ])
  })

  it('mark-pending deletes the row of a migration undone by hand, so the next run applies it again', async () => {
    await leaveDirty()
    await withClient(url, (c) => c.query(`DROP INDEX t_id_idx; DROP INDEX t_v_key`))
    dir.write({ '0002_idx.sql': 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n' })

    const repaired = await run({ mode: 'repair', 'repair-action': 'mark-pending', 'repair-revision': '0002' })
    expect(repaired.report.status).toBe('success')
    expect(repaired.report.repair).toEqual(
      expect.objectContaining({
        changed: true,
        before: [expect.arrayContaining(['0002', 'true'])],
        after: [],
        command: `DELETE FROM "public"."pg_migrate_history" WHERE version = '0002'`
      })
    )
    expect(renderReport(repaired.report)).toContain('| after | *(no row)* |')
    expect((await history()).map((r) => r.version)).toEqual(['0001'])

    const next = await run()
    expect(next.report.apply!.runs.map((r) => [r.id, r.status])).toEqual([
      ['0002', 'applied'],
      ['0003', 'applied']
    ])

    // Asked again, it says there is nothing to do instead of pretending.
    const again = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0003' })
    expect(again.report.repair).toEqual(expect.objectContaining({ changed: false, done: "0003 was already recorded as applied with the current file's checksum; nothing changed" }))
    expect(again.report.stages.at(-1)).toEqual(expect.objectContaining({ name: 'repair', status: 'warning' }))
  })

  it('mark-applied refuses a migration that never ran while an earlier one is dirty or pending, and changes nothing', async () => {
    await leaveDirty()
    const skipsDirty = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0003' })
    expect(skipsDirty.report.status).toBe('failure')
    expect(skipsDirty.report.error).toEqual(expect.objectContaining({ stage: 'repair', code: 'repair-would-skip', location: { input: 'repair-revision', revision: '0003' } }))
    expect(skipsDirty.report.error!.message).toBe(
      'mark-applied would record 0003 as applied, but it never ran (it has no history row) and 0002 before it is dirty: recording 0003 would skip over it. Nothing was changed.'
    )
    expect(skipsDirty.report.error!.hint).toBe(
      'Repair 0002 first (repair-revision: 0002, mark-applied if you finished it by hand, mark-pending to run it again); a migration that never ran can be recorded only when it is the next one to apply.'
    )
    expect(renderReport(skipsDirty.report)).toMatch(/^## ❌ pg-migrate-action · repair: failed at \*\*repair\*\*/)
    expect((await history()).map((r) => [r.version, r.dirty])).toEqual([
      ['0001', false],
      ['0002', true]
    ])

    // 0002 undone and pending again: it is the next one to apply, and 0003 is still refused.
    await withClient(url, (c) => c.query(`DROP INDEX IF EXISTS t_id_idx; DROP INDEX IF EXISTS t_v_key`))
    expect((await run({ mode: 'repair', 'repair-action': 'mark-pending', 'repair-revision': '0002' })).report.status).toBe('success')
    const skipsPending = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0003' })
    expect(skipsPending.report.error).toEqual(expect.objectContaining({ code: 'repair-would-skip' }))
    expect(skipsPending.report.error!.message).toBe(
      'mark-applied would record 0003 as applied, but it never ran (it has no history row) and 0002 before it has not run either: recording 0003 would skip over it. Nothing was changed.'
    )
    expect((await history()).map((r) => r.version)).toEqual(['0001'])
    // allow-out-of-order lets 0002 run after 0003, so only a dirty migration stops it then.
    const outOfOrder = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0003', 'allow-out-of-order': 'true' })
    expect(outOfOrder.report.status).toBe('success')
    expect((await history()).map((r) => r.version)).toEqual(['0001', '0003'])

    // The next one to apply may be recorded (run by hand).
    const next = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0002' })
    expect(next.report.repair).toEqual(expect.objectContaining({ changed: true, after: [expect.arrayContaining(['0002', 'false'])] }))
    expect(next.report.repair!.done).toMatch(/^recorded 0002 as applied \(it had no history row\), with the checksum of /)
  })

  it('refuses a revision outside the chain and a missing repair-action, naming the input, and changes nothing', async () => {
    await leaveDirty()
    const unknown = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0009' })
    expect(unknown.report.error).toEqual(
      expect.objectContaining({ stage: 'repair', code: 'repair-revision-unknown', location: { input: 'repair-revision' }, hint: expect.stringContaining('0001, 0002, 0003') })
    )
    expect(unknown.report.error!.message).toMatch(/^Input 'repair-revision' names '0009', which is not a revision of the chain in /)
    const noAction = await run({ mode: 'repair', 'repair-revision': '0002' })
    expect(noAction.report.error).toEqual(expect.objectContaining({ stage: 'repair', code: 'invalid-input', location: { input: 'repair-action' } }))
    expect((await history()).map((r) => [r.version, r.dirty])).toEqual([
      ['0001', false],
      ['0002', true]
    ])
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'waits for the migration lock and writes nothing while another run holds it', async () => {
    await leaveDirty()
    const holder = await connectClient(url, 'another migration run')
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...LOCK_KEY])
      const blocked = await run({ mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': '0002', 'wait-timeout': '1' })
      expect(blocked.report.error).toEqual(expect.objectContaining({ stage: 'lock', code: 'lock-timeout' }))
      expect(blocked.report.repair).toBeUndefined()
      expect((await history()).map((r) => [r.version, r.dirty])).toEqual([
        ['0001', false],
        ['0002', true]
      ])
    } finally {
      await holder.end()
    }
  })
})

const chainAB: RevisionSpec[] = [
  { id: 'a1', down: null, message: 'create items', upgrade: ['op.create_table("items", sa.Column("id", sa.Integer, primary_key=True))'] },
  { id: 'b2', down: 'a1', message: 'add name', upgrade: ['op.add_column("items", sa.Column("name", sa.Text))'] }
]

describeEachNeeding(['database'], STACKS, 'mode: repair, Alembic ($name)', (stack) => {
  let restore: () => void
  beforeEach(() => {
    restore = useStack(stack)
  })
  afterEach(() => {
    restore()
    removeProjects()
  })

  const versionRows = async () => (await query(`SELECT version_num FROM alembic_version ORDER BY version_num`)).map((r) => r.version_num)
  const run = (project: string, inputs: Partial<Record<InputName, string>> = {}) => pipeline({ 'migrations-path': project, python: PYTHON, ...inputs })

  describe('stamping through Alembic', () => {
    it('replaces an unknown stamped revision with alembic stamp --purge, after which upgrades continue', async () => {
      const project = writeProject({ revisions: chainAB })
      expect((await run(project)).report.status).toBe('success')
      // A revision from another branch of the code was deployed and its file is gone.
      await query(`UPDATE alembic_version SET version_num = 'f00dfeed'`)
      expect((await run(project)).report.error?.code).toBe('chain-invalid')

      const repaired = await run(project, { mode: 'repair', 'repair-revision': 'b2' })
      expect(repaired.report.status).toBe('success')
      expect(repaired.report.repair).toEqual(
        expect.objectContaining({
          command: 'alembic stamp --purge b2',
          changed: true,
          columns: ['version_num'],
          before: [['f00dfeed']],
          after: [['b2']],
          done: 'recorded b2 as applied: alembic_version now records it (--purge: the table held f00dfeed, which Alembic cannot move from)'
        })
      )
      expect(await versionRows()).toEqual(['b2'])
      expect(renderReport(repaired.report)).toContain('```sh\nalembic stamp --purge b2\n```')
      expect((await run(project)).report.status).toBe('success')
    })

    it('de-duplicates the version table, and stamps a healthy table without --purge', async () => {
      const project = writeProject({ revisions: chainAB })
      await run(project)
      await query(`ALTER TABLE alembic_version DROP CONSTRAINT alembic_version_pkc; INSERT INTO alembic_version VALUES ('b2')`)
      expect(await versionRows()).toEqual(['b2', 'b2'])
      const deduplicated = await run(project, { mode: 'repair', 'repair-revision': 'b2' })
      expect(deduplicated.report.repair).toEqual(expect.objectContaining({ command: 'alembic stamp --purge b2', before: [['b2'], ['b2']], after: [['b2']] }))
      expect(await versionRows()).toEqual(['b2'])

      const back = await run(project, { mode: 'repair', 'repair-revision': 'b2', 'repair-action': 'mark-pending' })
      expect(back.report.repair).toEqual(
        expect.objectContaining({ command: 'alembic stamp a1', before: [['b2']], after: [['a1']], done: 'b2 is pending again: alembic_version now records a1' })
      )
      // b2 runs again: its column is gone after dropping it by hand, and the upgrade re-creates it.
      await query(`ALTER TABLE items DROP COLUMN name`)
      const next = await run(project)
      expect(next.report.apply!.runs.map((r) => [r.id, r.status])).toEqual([['b2', 'applied']])
    })

    it('refuses a revision the chain does not declare', async () => {
      const project = writeProject({ revisions: chainAB })
      await run(project)
      const refused = await run(project, { mode: 'repair', 'repair-revision': 'c3' })
      expect(refused.report.error).toEqual(expect.objectContaining({ code: 'repair-revision-unknown', location: { input: 'repair-revision' } }))
      expect(await versionRows()).toEqual(['b2'])
    })
  })
})
