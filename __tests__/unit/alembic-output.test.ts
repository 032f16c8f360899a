import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { atLeast, extractError, extractWarnings, parseProgressLine, toolchainAdvice, withoutAddresses } from '../../src/engines/alembic/output.js'

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

  it('reads a downgrade line (mode: downgrade): `from` is the revision undone, also a merge and the last one before base', () => {
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Running downgrade 8a2e4c6d0b31 -> 3f1c9a7b2d10, add embeddings')).toEqual({
      from: ['8a2e4c6d0b31'],
      to: '3f1c9a7b2d10',
      message: 'add embeddings',
      direction: 'downgrade'
    })
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Running downgrade 5d08a6e2f4b9 -> c47d19e5a8f2, e91b0f3d5c77, merge index and tags')?.from).toEqual([
      '5d08a6e2f4b9'
    ])
    expect(parseProgressLine('INFO  [alembic.runtime.migration] Running downgrade 3f1c9a7b2d10 -> , create documents')).toEqual({
      from: ['3f1c9a7b2d10'],
      to: '',
      message: 'create documents',
      direction: 'downgrade'
    })
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

const OLD = { python: '3.11.2', alembic: '1.8.1', sqlalchemy: '1.4.46' }
const NEW_1_13_2 = { python: '3.11.2', alembic: '1.13.2', sqlalchemy: '2.0.40' }

describe('withoutAddresses', () => {
  it("drops the memory address from Python's default reprs and keeps the type", () => {
    expect(withoutAddresses('Not an executable object: <sqlalchemy.engine.base.Connection object at 0x7f3e0e690a90>')).toBe(
      'Not an executable object: <sqlalchemy.engine.base.Connection object>'
    )
    expect(withoutAddresses('<function get_bind at 0x7fe562a50ea0>, <bound method A.b of <a.A object at 0x10a2b3c4d>>')).toBe(
      '<function get_bind>, <bound method A.b of <a.A object>>'
    )
    expect(withoutAddresses("<connection object at 0x7f6b; dsn: 'dbname=x', closed: 0>")).toBe("<connection object; dsn: 'dbname=x', closed: 0>")
    // Not a repr: left alone.
    expect(withoutAddresses('SELECT 0x1f AS n at 0x10 rows')).toBe('SELECT 0x1f AS n at 0x10 rows')
  })

  it('is applied to the exception that extractError reads', () => {
    const output = [
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      'sqlalchemy.exc.ObjectNotExecutableError: Not an executable object: <function get_bind at 0x7fe562a50ea0>'
    ].join('\n')
    expect(extractError(output)?.summary).toBe('sqlalchemy.exc.ObjectNotExecutableError: Not an executable object: <function get_bind>')
  })
})

describe('extractWarnings', () => {
  it("reads SQLAlchemy's SAWarning with its file, line and source line from real Alembic 1.13.2 output", () => {
    const warnings = extractWarnings(fixture('traceback-drop-table-if-exists-1.13.2.txt'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({
      line: 19,
      category: 'SAWarning',
      message: "Can't validate argument 'if_exists'; can't locate any SQLAlchemy dialect named 'if'",
      source: 'op.drop_table("nope", if_exists=True)'
    })
    expect(warnings[0].file).toMatch(/migrations\/versions\/0002_drop\.py$/)
    // Traceback frames are not warnings.
    expect(extractWarnings(fixture('traceback-alembic-1.8.txt'))).toEqual([])
  })
})

describe('toolchainAdvice', () => {
  it('turns a SQLAlchemy 2.0-only name on SQLAlchemy 1.4 into "needs SQLAlchemy ≥ 2.0", naming the installed version', () => {
    const error = extractError(fixture('traceback-sqlalchemy-uuid-1.4.txt'))!
    expect(error.summary).toBe("AttributeError: module 'sqlalchemy' has no attribute 'UUID'")
    const advice = toolchainAdvice(error, [], OLD)!
    expect(advice.needs).toBe('SQLAlchemy ≥ 2.0')
    expect(advice.requirement).toBe('sqlalchemy>=2.0')
    expect(advice.reason).toContain('`sqlalchemy.UUID`')
    expect(advice.reason).toContain('SQLAlchemy 1.4.46')
    const imported = { ...error, message: "cannot import name 'DeclarativeBase' from 'sqlalchemy.orm' (/usr/lib/python3/dist-packages/sqlalchemy/orm/__init__.py)" }
    expect(toolchainAdvice(imported, [], OLD)?.needs).toBe('SQLAlchemy ≥ 2.0')
    expect(toolchainAdvice({ ...error, message: "module 'sqlalchemy' has no attribute 'Double'" }, [], OLD)?.needs).toBe('SQLAlchemy ≥ 2.0')
  })

  it('gives no toolchain advice for a misspelt name, or when SQLAlchemy 2.0 is already there', () => {
    const error = extractError(fixture('traceback-sqlalchemy-uuid-1.4.txt'))!
    expect(toolchainAdvice({ ...error, message: "module 'sqlalchemy' has no attribute 'Uiud'" }, [], OLD)).toBeUndefined()
    expect(toolchainAdvice(error, [], { ...OLD, sqlalchemy: '2.0.40' })).toBeUndefined()
    expect(toolchainAdvice(extractError(fixture('traceback-alembic-1.8.txt')), [], OLD)).toBeUndefined()
  })

  it('turns Alembic\'s "Can\'t validate argument" SAWarning for drop_table(if_exists=…) on 1.13.2 into "needs Alembic ≥ 1.13.3"', () => {
    const output = fixture('traceback-drop-table-if-exists-1.13.2.txt')
    const advice = toolchainAdvice(extractError(output), extractWarnings(output), NEW_1_13_2)!
    expect(advice.needs).toBe('Alembic ≥ 1.13.3')
    expect(advice.requirement).toBe('alembic>=1.13.3')
    expect(advice.reason).toContain('op.drop_table(if_exists=…)')
    expect(advice.reason).toContain('Alembic 1.13.2 ignored it (SAWarning at 0002_drop.py:19)')
    expect(toolchainAdvice(extractError(output), extractWarnings(output), { ...NEW_1_13_2, alembic: '1.13.3' })).toBeUndefined()
  })

  it('compares dotted versions', () => {
    expect(atLeast('1.13.2', '1.13.3')).toBe(false)
    expect(atLeast('1.13.10', '1.13.3')).toBe(true)
    expect(atLeast('2.0.0b4', '2.0')).toBe(true)
    expect(atLeast('1.4.46', '2.0')).toBe(false)
  })
})
