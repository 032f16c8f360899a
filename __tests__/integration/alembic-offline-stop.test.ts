import { afterAll, expect, it } from '@jest/globals'
import path from 'node:path'
import { offlinePending, readOfflineRun } from '../../src/engines/alembic/offline-sql.js'
import { loadProject } from '../../src/engines/alembic/project.js'
import { runAlembic } from '../../src/engines/alembic/run.js'
import { PYTHON, removeProjects, STACKS, useStack, writeProject } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'

/**
 * Plan mode on a chain with a revision that reads the database: Alembic's offline (--sql)
 * generation stops there. Real Alembic; no database is needed (offline mode never connects).
 */
const REVISIONS = [
  { id: '0001', down: null, message: 'create t', upgrade: ['op.execute("CREATE TABLE t (id int)")'] },
  { id: '0002', down: '0001', message: 'add b', upgrade: ['op.execute("ALTER TABLE t ADD COLUMN b int")'] },
  {
    id: '0003',
    down: '0002',
    message: 'backfill',
    upgrade: ['op.execute("ALTER TABLE t ADD COLUMN c int")', 'rows = op.get_bind().execute(sa.text("SELECT id FROM t")).fetchall()', 'op.execute("UPDATE t SET c = 1")']
  },
  { id: '0004', down: '0003', message: 'after', upgrade: ['op.execute("CREATE INDEX t_b ON t (b)")'] }
]

describeEachNeeding([], STACKS, 'offline SQL that stops part-way, with $name', (stack) => {
  afterAll(() => removeProjects())

  it('keeps the SQL of every revision before the stop and names the revision, file and line where it stopped', async () => {
    const restore = useStack(stack)
    try {
      const dir = writeProject({ revisions: REVISIONS })
      const project = await loadProject(dir, dir)
      const sources = new Map(project.revisions.map((r) => [r.revision.id, r]))
      const proc = await runAlembic({ python: PYTHON, args: ['upgrade', 'head', '--sql'], cwd: dir, env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' } })
      expect(proc.exitCode).not.toBe(0)

      const run = readOfflineRun(proc, sources, path.join(project.ini.scriptLocation, 'env.py'))
      expect(run.chunks.map((c) => [c.revision, c.sql])).toEqual([
        ['0001', expect.stringContaining('CREATE TABLE t (id int);')],
        ['0002', expect.stringContaining('ALTER TABLE t ADD COLUMN b int;')]
      ])
      expect(run.stopped).toEqual({
        revision: '0003',
        file: sources.get('0003')!.revision.file,
        line: 20,
        message: "AttributeError: 'NoneType' object has no attribute 'fetchall'",
        reason: expect.stringContaining('reads the database'),
        partialSql: 'ALTER TABLE t ADD COLUMN c int;\n\nSELECT id FROM t;'
      })

      const pending = offlinePending(
        project.revisions.map((r) => r.revision),
        run,
        sources,
        false
      )
      expect(pending.map((p) => p.sql !== undefined)).toEqual([true, true, false, false])
      expect(pending[2].notes.join(' ')).toContain(`offline SQL generation stopped here (${sources.get('0003')!.revision.file}:20): AttributeError`)
      expect(pending[3].notes).toEqual(['no SQL: offline generation stopped earlier, at 0003'])
      expect(pending[0].notes[0]).toMatch(/^Alembic first creates its version table: CREATE TABLE alembic_version/)
    } finally {
      restore()
    }
  })
})
