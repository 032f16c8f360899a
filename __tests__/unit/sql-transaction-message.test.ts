import { beforeAll, describe, expect, it } from '@jest/globals'
import { mayChangeSessionState } from '../../src/engines/sql/session-state.js'
import { failedPart, transactionMessage } from '../../src/engines/sql/transaction-message.js'
import { loadSqlParser, type SqlParser } from '../../src/sql/parse.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})

describe('a transactional migration as one message', () => {
  it('holds BEGIN, the statements, the history row and COMMIT, a statement ending in a comment included', () => {
    const statements = parser.parse('CREATE TABLE a (id int);\nSELECT 1 -- trailing comment')
    const message = transactionMessage('BEGIN', statements, 'INSERT INTO h VALUES (1)')
    expect(message.text).toBe('BEGIN\n;\nCREATE TABLE a (id int)\n;\nSELECT 1 -- trailing comment\n;\nINSERT INTO h VALUES (1)\n;\nCOMMIT')
    expect(message.starts.map((start, i) => message.text.slice(start, start + statements[i].text.length))).toEqual(statements.map((s) => s.text))
  })

  it('tells the failed part from the commands completed before the error', () => {
    const statements = parser.parse("SELECT '😀';\nSELECT 2;")
    const message = transactionMessage('BEGIN ISOLATION LEVEL SERIALIZABLE', statements, 'INSERT INTO h VALUES (1)')
    expect(failedPart(message, statements, 0)).toEqual({ phase: 'begin' })
    expect(failedPart(message, statements, 1)).toEqual({ phase: 'statement', statement: statements[0], positionOffset: 'BEGIN ISOLATION LEVEL SERIALIZABLE\n;\n'.length })
    // The server counts code points: the emoji before the second statement is one, not two UTF-16 units.
    const second = failedPart(message, statements, 2)
    expect(second).toMatchObject({ phase: 'statement', statement: statements[1] })
    expect(second.positionOffset).toBe([...message.text.slice(0, message.starts[1])].length)
    expect(second.positionOffset).toBe(message.starts[1] - 1)
    expect(failedPart(message, statements, 3)).toEqual({ phase: 'history' })
    expect(failedPart(message, statements, 4)).toEqual({ phase: 'commit' })
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
