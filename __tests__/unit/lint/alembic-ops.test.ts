import { describe, expect, it } from '@jest/globals'
import { listUpgradeCalls, mapStatementsToCalls } from '../../../src/lint/alembic-ops.js'

const REVISION = `"""add tags"""
from alembic import op
import sqlalchemy as sa

revision = 'b2'
down_revision = 'a1'


def upgrade() -> None:
    # a comment with op.drop_table('x') in it
    op.add_column('documents', sa.Column('tags', sa.Text(),
                  nullable=True))
    with op.batch_alter_table('documents') as batch_op:
        batch_op.drop_column('legacy')
    bind = op.get_bind()
    op.execute("""
        UPDATE documents SET tags = '' WHERE tags IS NULL
    """)


def downgrade() -> None:
    op.drop_column('documents', 'tags')
`

describe('the op. calls of an Alembic upgrade()', () => {
  it('lists calls with their lines, inside with blocks too, skipping comments, strings and calls that emit no SQL', () => {
    expect(listUpgradeCalls(REVISION)).toEqual({
      line: 9,
      calls: [
        { name: 'add_column', line: 11 },
        { name: 'drop_column', line: 14 },
        { name: 'execute', line: 16 }
      ],
      firstCodeLine: 11
    })
  })

  it('says where upgrade() first runs code, past docstrings and pass; nowhere for an empty one', () => {
    const upgrade = (...body: string[]): string => ['def upgrade():', ...body.map((l) => `    ${l}`), ''].join('\n')
    expect(listUpgradeCalls(upgrade('pass'))?.firstCodeLine).toBeUndefined()
    expect(listUpgradeCalls(upgrade('"""merge"""', 'pass'))?.firstCodeLine).toBeUndefined()
    expect(listUpgradeCalls(upgrade('"""online only"""', 'if context.is_offline_mode():', '    return'))?.firstCodeLine).toBe(3)
  })

  it('is undefined without an upgrade function', () => {
    expect(listUpgradeCalls('revision = "x"\n')).toBeUndefined()
  })

  it('maps statements one to one when the counts agree, else by what each op emits', () => {
    const calls = [
      { name: 'create_table', line: 3 },
      { name: 'drop_column', line: 7 }
    ]
    expect(mapStatementsToCalls(['CreateStmt', 'AlterTableStmt'], calls)).toEqual(calls)
    // create_table also emitted an index; drop_column cannot emit a DropStmt.
    expect(mapStatementsToCalls(['CreateStmt', 'IndexStmt', 'AlterTableStmt', 'DropStmt'], calls)).toEqual([calls[0], calls[0], calls[1], undefined])
  })
})
