import { describe, expect, it } from '@jest/globals'
import { batchOperationLine, buildResult } from '../../src/engines/alembic/apply.js'
import type { AlembicProcess } from '../../src/engines/alembic/run.js'
import type { Chain, Revision } from '../../src/engines/engine.js'

const rev = (id: string, parents: string[]): Revision => ({ id, parents, dependsOn: [], branchLabels: [], description: id, file: `versions/${id}.py` })

describe('buildResult', () => {
  it("ends the last revision's time at Alembic's finish marker, not at the process exit", () => {
    const revisions = [rev('a', []), rev('b', ['a'])]
    const chain: Chain = { engine: 'alembic', directory: '.', notes: [], revisions }
    const proc: AlembicProcess = {
      exitCode: 0,
      stdout: '',
      stderr: '',
      log: '',
      progress: [
        { from: [], to: 'a', message: '', at: 100 },
        { from: ['a'], to: 'b', message: '', at: 130 }
      ],
      finishedAt: 145,
      durationMs: 560
    }
    const result = buildResult(chain, [], ['b'], revisions, proc, { sources: new Map(), table: { table: 'alembic_version', source: 'default' }, envPy: 'env.py' })
    expect(result.runs.map((r) => r.durationMs)).toEqual([30, 15])
  })
})

describe('batchOperationLine', () => {
  const source = [
    'def upgrade():',
    '    with op.batch_alter_table("t") as b:',
    '        b.add_column(sa.Column("x", sa.Integer()))',
    '        b.create_foreign_key(',
    '            "fk_t_u", "u", ["u_id"], ["id"])',
    '    op.execute("SELECT 1")'
  ].join('\n')
  const frames = (operation: string) => [
    { file: 'versions/x.py', line: 2, function: 'upgrade' },
    { file: 'alembic/operations/batch.py', line: 111, function: 'flush' },
    { file: 'alembic/ddl/impl.py', line: 331, function: operation }
  ]

  it('maps the executing operation to its batch_op call, also across names (add_constraint → create_foreign_key)', () => {
    expect(batchOperationLine(source, 2, frames('add_column'), 'ALTER TABLE t ADD COLUMN x INTEGER')).toBe(3)
    expect(batchOperationLine(source, 2, frames('add_constraint'), 'ALTER TABLE t ADD CONSTRAINT fk_t_u FOREIGN KEY(u_id) REFERENCES u (id)')).toBe(4)
  })

  it('keeps the traceback line when it is not a batch block or the call cannot be told', () => {
    expect(batchOperationLine(source, 6, frames('execute'), 'SELECT 1')).toBeUndefined()
    expect(batchOperationLine(source, 2, frames('drop_column'), 'ALTER TABLE t DROP COLUMN z')).toBeUndefined()
    expect(batchOperationLine(undefined, 2, frames('add_column'), undefined)).toBeUndefined()
  })
})
