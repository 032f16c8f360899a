import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { parseLiteral, parseRevisionSource } from '../../src/engines/alembic/revision-file.js'

const FILE = 'migrations/versions/x.py'

function errorOf(fn: () => unknown): ActionError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('expected an ActionError')
}

describe('parseRevisionSource', () => {
  it('reads the plain style alembic init writes, with single quotes', () => {
    const parsed = parseRevisionSource(
      `"""add embeddings

Revision ID: ab12
Revises: 9f00
Create Date: 2024-05-06 14:03:10.552170

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'ab12'
down_revision = '9f00'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SELECT 1")
`,
      FILE
    )
    expect(parsed).toEqual({ revision: 'ab12', line: 12, downRevisions: ['9f00'], branchLabels: [], dependsOn: [], message: 'add embeddings' })
  })

  it('reads the type-annotated style of Alembic 1.13 with double quotes', () => {
    const parsed = parseRevisionSource(
      `"""Add user id"""
from typing import Sequence, Union

revision: str = "002_add_user_id"
down_revision: Union[str, None] = "001_init"
branch_labels: Union[str, Sequence[str], None] = ("users",)
depends_on: Union[str, Sequence[str], None] = "000_ext"
`,
      FILE
    )
    expect(parsed).toEqual({
      revision: '002_add_user_id',
      line: 4,
      downRevisions: ['001_init'],
      branchLabels: ['users'],
      dependsOn: ['000_ext'],
      message: 'Add user id'
    })
  })

  it('reads a merge whose down_revision tuple is wrapped over several lines, with comments and a trailing comma', () => {
    const parsed = parseRevisionSource(
      `revision = "m1"
down_revision: Union[str, Sequence[str], None] = (
    "a1",  # the index branch
    'b2',
)
`,
      FILE
    )
    expect(parsed.downRevisions).toEqual(['a1', 'b2'])
  })

  it('reads lists, bare tuples, a branch label given as a single string, and None for a root', () => {
    expect(parseRevisionSource(`revision = 'm'\ndown_revision = ['a', 'b']\n`, FILE).downRevisions).toEqual(['a', 'b'])
    expect(parseRevisionSource(`revision = 'm'\ndown_revision = 'a', 'b'\n`, FILE).downRevisions).toEqual(['a', 'b'])
    expect(parseRevisionSource(`revision = 'm'\nbranch_labels = 'feature'\n`, FILE).branchLabels).toEqual(['feature'])
    expect(parseRevisionSource(`revision = 'r'\ndown_revision = None\n`, FILE).downRevisions).toEqual([])
  })

  it('ignores look-alikes inside functions, strings and docstrings, and lets a later assignment win', () => {
    const parsed = parseRevisionSource(
      `"""
revision = 'from_docstring'
"""
revision = 'first'
SQL = """
revision = 'in_a_string'
"""
def upgrade():
    revision = 'local'
revision = 'second'
`,
      FILE
    )
    expect(parsed.revision).toBe('second')
    expect(parsed.line).toBe(10)
    expect(parsed.message).toBe("revision = 'from_docstring'")
  })

  it('takes the first non-empty docstring line as the message, also for an r-prefixed single-line docstring', () => {
    expect(parseRevisionSource(`r'''\n\n  create documents  \n\nmore'''\nrevision = 'a'\n`, FILE).message).toBe('create documents')
    expect(parseRevisionSource(`# coding: utf-8\nrevision = 'a'\n`, FILE).message).toBe('')
  })

  it('names the file when it has no revision assignment', () => {
    const error = errorOf(() => parseRevisionSource(`from alembic import op\n\ndef upgrade():\n    pass\n`, FILE))
    expect(error.code).toBe('alembic-revision-unreadable')
    expect(error.message).toContain(FILE)
    expect(error.location.file).toBe(FILE)
  })

  it('names file and line when a value is not a literal', () => {
    const error = errorOf(() => parseRevisionSource(`revision = 'a'\ndown_revision = PREVIOUS\n`, FILE))
    expect(error.message).toContain(`${FILE}:2`)
    expect(error.message).toContain('down_revision')
    expect(error.location.line).toBe(2)
    expect(errorOf(() => parseRevisionSource(`revision = None\n`, FILE)).message).toContain('one non-empty string')
  })
})

describe('parseLiteral', () => {
  it('handles escapes, adjacent literals and rejects None inside tuples', () => {
    expect(parseLiteral(`'it\\'s'`)).toEqual(["it's"])
    expect(parseLiteral(`'ab' "cd"`)).toEqual(['abcd'])
    expect(parseLiteral(`()`)).toEqual([])
    expect(() => parseLiteral(`('a', None)`)).toThrow(/None inside a tuple/)
    expect(() => parseLiteral(`'unterminated`)).toThrow(/unterminated/)
  })
})
