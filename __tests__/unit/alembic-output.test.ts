import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { extractError, parseProgressLine } from '../../src/engines/alembic/output.js'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/alembic/${name}`, import.meta.url), 'utf8')

describe('parseProgressLine', () => {
  it('reads the first revision, a plain step, a merge and a message containing an arrow', () => {
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Running upgrade  -> 3f1c9a7b2d10, create documents')).toEqual({
      from: [],
      to: '3f1c9a7b2d10',
      message: 'create documents'
    })
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Running upgrade c47d19e5a8f2, e91b0f3d5c77 -> 5d08a6e2f4b9, merge index and tags')).toEqual({
      from: ['c47d19e5a8f2', 'e91b0f3d5c77'],
      to: '5d08a6e2f4b9',
      message: 'merge index and tags'
    })
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Running upgrade a -> b, rename x -> y')?.message).toBe('rename x -> y')
    expect(parseProgressLine('-- Running upgrade a -> b')).toEqual({ from: ['a'], to: 'b', message: '' })
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Will assume transactional DDL.')).toBeUndefined()
  })
})

describe('extractError', () => {
  it.each(['traceback-alembic-1.8.txt', 'traceback-alembic-1.13.txt'])('takes the final exception, the SQL and the revision frame from a real traceback (%s)', (name) => {
    const error = extractError(fixture(name))!
    expect(error.type).toBe('sqlalchemy.exc.ProgrammingError')
    expect(error.summary).toBe('sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "chunks" does not exist')
    expect(error.statement).toBe('ALTER TABLE chunks ADD COLUMN embedding vector(3)')
    expect(error.frames).toContainEqual({ file: '/work/project/migrations/versions/zz_fail.py', line: 7, function: 'upgrade' })
    // The chained psycopg2 exception of the first traceback is not the one reported.
    expect(error.summary).not.toMatch(/^psycopg2/)
  })

  it('keeps the DETAIL line apart from the message', () => {
    const error = extractError(fixture('traceback-unique-violation-1.13.txt'))!
    expect(error.message).toBe('(psycopg2.errors.UniqueViolation) could not create unique index "documents_title_key"')
    expect(error.detail).toBe('Key (title)=(a) is duplicated.')
    expect(error.statement).toBe('ALTER TABLE documents ADD CONSTRAINT documents_title_key UNIQUE (title)')
  })

  it("reads Alembic's one-line FAILED errors and returns nothing for clean output", () => {
    expect(extractError("INFO  [alembic] x\nFAILED: Can't locate revision identified by 'dead'")?.message).toBe("Can't locate revision identified by 'dead'")
    expect(extractError('INFO  [alembic.runtime.migration] Running upgrade  -> a')).toBeUndefined()
  })

  it('reads a multi-line statement up to the closing bracket', () => {
    const error = extractError(`Traceback (most recent call last):
  File "/x/versions/a.py", line 9, in upgrade
    op.execute(sql)
sqlalchemy.exc.IntegrityError: (psycopg2.errors.CheckViolation) check constraint "t" is violated by some row

[SQL: ALTER TABLE documents
    ADD CONSTRAINT t CHECK (length(title) > 3)]
(Background on this error at: https://sqlalche.me/e/14/gkpj)
`)!
    expect(error.statement).toBe('ALTER TABLE documents\n    ADD CONSTRAINT t CHECK (length(title) > 3)')
    expect(error.frames).toEqual([{ file: '/x/versions/a.py', line: 9, function: 'upgrade' }])
  })
})
