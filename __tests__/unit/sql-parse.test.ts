import { beforeAll, describe, expect, it } from '@jest/globals'
import { loadSqlParser, noTransactionReason, SqlSyntaxError, type SqlParser } from '../../src/sql/parse.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})

describe('parse: splitting', () => {
  it('keeps semicolons inside dollar-quoted bodies, strings, quoted identifiers and comments', () => {
    const source = [
      '-- a comment; with a semicolon',
      'CREATE TABLE "odd;name" (note text DEFAULT \'a;b\');',
      '/* block; comment /* nested; */ still comment */',
      'CREATE FUNCTION touch() RETURNS trigger AS $body$',
      'BEGIN',
      "  NEW.note := 'x;y'; -- inside",
      '  RETURN NEW;',
      'END;',
      '$body$ LANGUAGE plpgsql;',
      "SELECT E'it\\'s; fine', $$;$$"
    ].join('\n')
    const statements = parser.parse(source)
    expect(statements.map((s) => s.kind)).toEqual(['CreateStmt', 'CreateFunctionStmt', 'SelectStmt'])
    expect(statements.map((s) => s.line)).toEqual([2, 4, 10])
    expect(statements[1].text).toBe(source.split('\n').slice(3, 9).join('\n').replace(/;$/, ''))
    expect(statements[2].text).toBe("SELECT E'it\\'s; fine', $$;$$")
    for (const s of statements) expect(source.slice(s.start, s.end)).toBe(s.text)
  })

  it('reports byte and character offsets correctly after non-ASCII text', () => {
    const source = "SELECT 'héllo wörld 😀';\nSELECT 'ü'; SELECT 2"
    const statements = parser.parse(source)
    expect(statements.map((s) => s.text)).toEqual(["SELECT 'héllo wörld 😀'", "SELECT 'ü'", 'SELECT 2'])
    expect(statements.map((s) => [s.line, s.column])).toEqual([
      [1, 1],
      [2, 1],
      [2, 13]
    ])
    const bytes = Buffer.from(source, 'utf8')
    for (const s of statements) expect(bytes.subarray(s.startByte, s.endByte).toString('utf8')).toBe(s.text)
  })

  it('handles a first statement at offset 0, a last one without semicolon, and empty statements', () => {
    const statements = parser.parse('SELECT 1;; SELECT 2\n\n')
    expect(statements.map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2'])
    expect(statements[0].start).toBe(0)
  })

  it('returns no statements for comments only', () => {
    expect(parser.parse('-- nothing\n/* here */\n')).toEqual([])
    expect(parser.parse('   ')).toEqual([])
  })

  it('throws SqlSyntaxError with the line and column of the error', () => {
    const source = "SELECT 1;\nSELECT 'é😀'\n  FRM x;"
    let caught: unknown
    try {
      parser.parse(source)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(SqlSyntaxError)
    const error = caught as SqlSyntaxError
    // FRM parses as a column alias, so the error is at the x after it.
    expect(error.message).toMatch(/syntax error at or near "x"/)
    expect([error.line, error.column]).toEqual([3, 7])
    expect(source.slice(error.offset, error.offset + 2)).toBe('x;')
  })
})

describe('scan: the lexer', () => {
  it("gives each token's character offsets, also after tabs and non-ASCII text, and tells literals and comments apart", () => {
    const source = "SELECT 'tab\there', 'ü';\n\t/* c */ CREATE ROLE r PASSWORD $x$pw$x$;"
    const tokens = parser.scan(source)!
    expect(tokens.map((t) => [source.slice(t.start, t.end), t.kind, t.keyword])).toEqual([
      ['SELECT', 'UNKNOWN', 'SELECT'],
      ["'tab\there'", 'SCONST', undefined],
      [',', 'ASCII_44', undefined],
      ["'ü'", 'SCONST', undefined],
      [';', 'ASCII_59', undefined],
      ['/* c */', 'C_COMMENT', undefined],
      ['CREATE', 'UNKNOWN', 'CREATE'],
      ['ROLE', 'UNKNOWN', 'ROLE'],
      ['r', 'IDENT', undefined],
      ['PASSWORD', 'UNKNOWN', 'PASSWORD'],
      ['$x$pw$x$', 'SCONST', undefined],
      [';', 'ASCII_59', undefined]
    ])
  })

  it('scans text the grammar rejects, and ends with a token to the end of the text at a literal that is never closed', () => {
    expect(parser.scan('SELEC FROM WHERE;')!.map((t) => t.kind)).toEqual(['IDENT', 'UNKNOWN', 'UNKNOWN', 'ASCII_59'])
    const kinds = (source: string): [string, string][] => parser.scan(source)!.map((t) => [source.slice(t.start, t.end), t.kind])
    expect(kinds("SELECT 'é';\nSELECT 'open\nmore")).toEqual([
      ['SELECT', 'UNKNOWN'],
      ["'é'", 'SCONST'],
      [';', 'ASCII_59'],
      ['SELECT', 'UNKNOWN'],
      ["'open\nmore", 'UNTERMINATED']
    ])
    expect(kinds('SELECT $$ open')).toEqual([
      ['SELECT', 'UNKNOWN'],
      ['$$ open', 'UNTERMINATED']
    ])
    expect(kinds('/* open')).toEqual([['/* open', 'UNTERMINATED']])
    expect(kinds('SELECT 1; "open')).toEqual([
      ['SELECT', 'UNKNOWN'],
      ['1', 'ICONST'],
      [';', 'ASCII_59'],
      ['"open', 'UNTERMINATED']
    ])
  })
})

describe('parse: statements that cannot run in a transaction block', () => {
  const cases: [string, string | undefined][] = [
    ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING hnsw (e vector_cosine_ops)', 'CREATE INDEX CONCURRENTLY'],
    ['CREATE INDEX i ON t (a)', undefined],
    ['DROP INDEX CONCURRENTLY IF EXISTS i', 'DROP INDEX CONCURRENTLY'],
    ['DROP INDEX i', undefined],
    ['REINDEX INDEX CONCURRENTLY i', 'REINDEX … CONCURRENTLY'],
    ['REINDEX (CONCURRENTLY) TABLE t', 'REINDEX … CONCURRENTLY'],
    ['REINDEX (CONCURRENTLY false) TABLE t', undefined],
    ['REINDEX TABLE t', undefined],
    ['REINDEX DATABASE d', 'REINDEX DATABASE'],
    ['VACUUM t', 'VACUUM'],
    ['VACUUM (ANALYZE) t', 'VACUUM'],
    ['ANALYZE t', undefined],
    ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
    ['CREATE DATABASE d', 'CREATE DATABASE'],
    ['DROP DATABASE d', 'DROP DATABASE'],
    ['ALTER DATABASE d SET TABLESPACE ts', 'ALTER DATABASE … SET TABLESPACE'],
    ["ALTER DATABASE d SET work_mem = '1MB'", undefined],
    ['ALTER TABLE p DETACH PARTITION c CONCURRENTLY', 'ALTER TABLE … DETACH PARTITION … CONCURRENTLY'],
    ['ALTER TABLE p DETACH PARTITION c', undefined],
    ['CLUSTER', 'CLUSTER without a table name'],
    ['CLUSTER t USING i', undefined],
    ["CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", 'CREATE SUBSCRIPTION (creating a replication slot)'],
    ["CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)", undefined],
    ["COMMIT PREPARED 'x'", 'COMMIT PREPARED'],
    ["ALTER TYPE mood ADD VALUE 'meh'", undefined],
    ['CREATE FUNCTION f() RETURNS void AS $$ VACUUM; $$ LANGUAGE sql', undefined],
    ["SELECT 'CREATE INDEX CONCURRENTLY x ON y (z)'", undefined],
    ['-- VACUUM t\nSELECT 1', undefined]
  ]
  it.each(cases)('%s', (sql, what) => {
    const [statement] = parser.parse(sql)
    expect(statement.noTransaction?.what).toBe(what)
    expect(statement.noTransaction?.reason?.includes('cannot run inside a transaction block') ?? false).toBe(what !== undefined)
  })

  it('treats ALTER TYPE … ADD VALUE as non-transactional only before PostgreSQL 12', () => {
    const sql = "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad'"
    expect(parser.parse(sql, { serverVersionNum: 110022 })[0].noTransaction?.what).toBe('ALTER TYPE … ADD VALUE')
    expect(parser.parse(sql, { serverVersionNum: 120000 })[0].noTransaction).toBeUndefined()
    // RENAME VALUE was never restricted.
    expect(parser.parse("ALTER TYPE mood RENAME VALUE 'a' TO 'b'", { serverVersionNum: 110000 })[0].noTransaction).toBeUndefined()
  })

  it('marks transaction control statements', () => {
    const kinds = parser.parse("BEGIN; SAVEPOINT a; ROLLBACK TO a; COMMIT; START TRANSACTION; ROLLBACK; PREPARE TRANSACTION 'x'").map((s) => s.transactionControl)
    expect(kinds).toEqual(['begin', 'savepoint', 'savepoint', 'commit', 'begin', 'rollback', 'prepared'])
  })

  it('ignores unknown statement kinds', () => {
    expect(noTransactionReason('SelectStmt', {}, 170000)).toBeUndefined()
  })
})
