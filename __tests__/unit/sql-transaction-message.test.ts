import { beforeAll, describe, expect, it } from '@jest/globals'
import { mayChangeSessionState } from '../../src/engines/sql/session-state.js'
import { failedPart, historyCommands, transactionMessage } from '../../src/engines/sql/transaction-message.js'
import { loadSqlParser, type SqlParser, type SqlStatement } from '../../src/sql/parse.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})

describe('a transactional migration as one message', () => {
  it('holds BEGIN, the statements, the history row and COMMIT, a statement ending in a comment included', () => {
    const statements = parser.parse('CREATE TABLE a (id int);\nSELECT 1 -- trailing comment')
    const message = transactionMessage('BEGIN', [{ statements, historyInsert: 'INSERT INTO h VALUES (1)' }])
    expect(message.text).toBe('BEGIN\n;\nCREATE TABLE a (id int)\n;\nSELECT 1 -- trailing comment\n;\nINSERT INTO h VALUES (1)\n;\nCOMMIT')
    expect(message.starts.map((start, i) => message.text.slice(start, start + statements[i].text.length))).toEqual(statements.map((s) => s.text))
  })

  it('tells the failed part from the commands completed before the error', () => {
    const statements = parser.parse("SELECT '😀';\nSELECT 2;")
    const parts = [{ statements, historyInsert: 'INSERT INTO h VALUES (1)' }]
    const message = transactionMessage('BEGIN ISOLATION LEVEL SERIALIZABLE', parts)
    expect(failedPart(message, parts, 0)).toEqual({ phase: 'begin' })
    expect(failedPart(message, parts, 1)).toEqual({ part: 0, phase: 'statement', statement: statements[0], positionOffset: 'BEGIN ISOLATION LEVEL SERIALIZABLE\n;\n'.length })
    // The server counts code points: the emoji before the second statement is one, not two UTF-16 units.
    const second = failedPart(message, parts, 2)
    expect(second).toMatchObject({ part: 0, phase: 'statement', statement: statements[1] })
    expect(second.positionOffset).toBe([...message.text.slice(0, message.starts[1])].length)
    expect(second.positionOffset).toBe(message.starts[1] - 1)
    expect(failedPart(message, parts, 3)).toEqual({ part: 0, phase: 'history' })
    expect(failedPart(message, parts, 4)).toEqual({ phase: 'commit' })
  })
})

describe('a whole run as one message (transaction: all)', () => {
  const first = (): SqlStatement[] => parser.parse('CREATE TABLE a (id int);\nSET search_path TO x;')
  const second = (): SqlStatement[] => parser.parse('CREATE TABLE b (id int);')

  it('holds each migration with its history row, and the commands that go before it', () => {
    const parts = [
      { before: ['MARK'], statements: first(), historyInsert: 'INSERT 1' },
      { before: ['RESET ALL', 'MARK'], statements: second(), historyInsert: 'INSERT 2' }
    ]
    const message = transactionMessage('BEGIN', parts)
    expect(message.text.split('\n;\n')).toEqual([
      'BEGIN',
      'MARK',
      'CREATE TABLE a (id int)',
      'SET search_path TO x',
      'INSERT 1',
      'RESET ALL',
      'MARK',
      'CREATE TABLE b (id int)',
      'INSERT 2',
      'COMMIT'
    ])
    expect(message.firstCommands).toEqual([2, 7])
    expect(historyCommands(message, parts)).toEqual([4, 8])
    const statements = parts.flatMap((p) => p.statements)
    expect(message.starts.map((start, i) => message.text.slice(start, start + statements[i].text.length))).toEqual(statements.map((s) => s.text))
  })

  it('names the migration, and the statement in it, that failed', () => {
    const parts = [
      { before: ['MARK'], statements: first(), historyInsert: 'INSERT 1' },
      { before: ['RESET ALL', 'MARK'], statements: second(), historyInsert: 'INSERT 2' }
    ]
    const message = transactionMessage('BEGIN', parts)
    const phases = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((completed) => {
      const failed = failedPart(message, parts, completed)
      return `${failed.part ?? '-'} ${failed.phase} ${failed.statement?.text ?? ''}`.trim()
    })
    expect(phases).toEqual([
      '- begin',
      '0 reset',
      '0 statement CREATE TABLE a (id int)',
      '0 statement SET search_path TO x',
      '0 history',
      '1 reset',
      '1 reset',
      '1 statement CREATE TABLE b (id int)',
      '1 history',
      '- commit'
    ])
    expect(failedPart(message, parts, 7).positionOffset).toBe(message.starts[2])
  })
})

describe('whether a migration may change its session', () => {
  const changes = (sql: string): boolean => mayChangeSessionState(parser.parse(sql))

  it('not for catalog-only DDL', () => {
    expect(changes('CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nALTER TABLE t ADD COLUMN x text;\nCOMMENT ON TABLE t IS $$x$$;')).toBe(false)
    expect(changes('CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE VIEW v AS SELECT 1;\nGRANT SELECT ON t TO PUBLIC;')).toBe(false)
  })

  it.each([
    ['SET', 'SET search_path TO x;'],
    ['SET ROLE', 'SET ROLE other;'],
    ['a temp table', 'CREATE TEMP TABLE scratch (x int);'],
    ['a temp view', 'CREATE TEMPORARY VIEW v AS SELECT 1;'],
    ['a temp table from a query', 'CREATE TEMP TABLE s AS SELECT 1;'],
    ['PREPARE', 'PREPARE p AS SELECT 1;'],
    ['LISTEN', 'LISTEN channel;'],
    ['a cursor', 'DECLARE c CURSOR WITH HOLD FOR SELECT 1;'],
    ['DO (its body may SET)', "DO $$ BEGIN PERFORM set_config('x.y', '1', false); END $$;"],
    ['a query (a function may SET)', "SELECT set_config('search_path', 'x', false);"],
    ['DML (a trigger may SET)', 'INSERT INTO t VALUES (1);'],
    ['CREATE EXTENSION (its script runs in the session)', 'CREATE EXTENSION IF NOT EXISTS vector;']
  ])('for %s', (_what, sql) => {
    expect(changes(`CREATE TABLE t (id int);\n${sql}`)).toBe(true)
  })
})
