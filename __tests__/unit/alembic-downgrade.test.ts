import { describe, expect, it } from '@jest/globals'
import { functionBody } from '../../src/engines/alembic/downgrade.js'

const revision = (upgrade: string, downgrade: string): string =>
  `"""doc"""\nfrom alembic import op\n\nrevision = 'b'\ndown_revision = 'a'\n\n\ndef upgrade():\n${upgrade}\n\n\ndef downgrade() -> None:\n${downgrade}\n`

describe('functionBody: whether a revision can be reverted (mode: downgrade refuses one that cannot, before anything runs)', () => {
  it('tells a downgrade() that does something from one that is empty, raises or is missing', () => {
    expect(functionBody(revision('    op.create_table("t")', '    op.drop_table("t")'), 'downgrade')).toBe('code')
    expect(functionBody(revision('    op.create_table("t")', '    # nothing to undo\n    pass'), 'downgrade')).toBe('empty')
    expect(functionBody(revision('    op.create_table("t")', '    """One way."""\n    ...'), 'downgrade')).toBe('empty')
    expect(functionBody(revision('    op.create_table("t")', '    """One way."""\n    raise NotImplementedError()'), 'downgrade')).toBe('raises')
    expect(functionBody(revision('    pass', '    pass'), 'upgrade')).toBe('empty')
    expect(functionBody('def upgrade():\n    op.create_table("t")\n', 'downgrade')).toBe('missing')
  })

  it('reads the body up to the next top-level statement, with blank and comment lines inside it', () => {
    const source = 'def downgrade():\n    # first\n\n    pass\n# a comment at the top level\n\n\ndef helper():\n    op.drop_table("t")\n'
    expect(functionBody(source, 'downgrade')).toBe('empty')
  })
})
